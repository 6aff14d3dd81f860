"""Imported once by the batch's fork server: the pipeline is loaded and assembled there, so the
workers forked from it start warm (a replacement for a killed worker in a fraction of a second)."""
from pipeline.batch import _warm

_warm()
