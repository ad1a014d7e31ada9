"""Supervision pages. tasks.py: list, board, task page and its actions; work.py: a
unit's weekly work, the office's review queue, the leader's page, monthly reports."""
