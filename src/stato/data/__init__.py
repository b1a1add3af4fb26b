"""Package data: prompts, the bundled example, the built-in registry."""
