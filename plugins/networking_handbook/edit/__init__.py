"""Changing the user's files, never losing a byte: YAML text insertion that keeps comments
and layout (`yaml_text`), atomic writes under a folder lock, or into memory for a dry run
(`safe_write`), the daily commands built on them (`commands`: add, log, promise, done), and
a new handbook's files (`scaffold`, from `scaffold_files/`).
"""
