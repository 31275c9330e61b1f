"""Demo content written by the EduBridge project (no copied text): three CASE frameworks with
paraphrased statements and crosswalks, a zh-CN and an en-US item bank generated from templates."""
