"""make rehearse: the sandbox loop against a private local AWS emulator (MiniStack)."""
