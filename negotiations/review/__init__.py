"""The editors' review workbench at /review/: a queue of claims, reviewed from the keyboard."""
