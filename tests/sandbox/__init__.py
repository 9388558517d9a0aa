"""The sandbox loop's commands, offline against moto."""
