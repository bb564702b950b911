"""Static reasoning shared by every rule family: the one traversal (facts), qualified names,
value resolution and suppressions."""
