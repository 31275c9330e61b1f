"""Pure-Python engines: plain data in, plain data and explanations out; no Django."""
