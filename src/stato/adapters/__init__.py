"""stato.adapters."""
