"""Joint releases signed by several members, verified offline against the member registry."""
