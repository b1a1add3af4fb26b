"""stato.bridges."""
