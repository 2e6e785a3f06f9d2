"""Publishing privately: the audit of a built site for leaks (`audit`), the optional
in-browser encryption layer and its safe settings (`encryption`), and the hash-pinned lock
of what the hosting CI installs (`lock`).
"""
