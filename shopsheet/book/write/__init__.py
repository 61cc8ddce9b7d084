"""Writing a workbook file without losing anything: the package read and patched part by
part, sheets streamed or edited in place, big parts rewritten in pieces, Tables kept, and the
file replaced safely (lock, backup, atomic rename)."""
