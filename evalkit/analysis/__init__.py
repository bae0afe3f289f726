"""Analyses on top of scores: agreement, self vs. panel, what-if, trends, rankings, poverty."""
