"""stato.ops."""
