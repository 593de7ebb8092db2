"""Generators: each turns the model (and its graph and findings) into artifacts it returns.

Views and drawing, the comparison and its cost estimate, Terraform, decision drafts and
the diff. A generator never writes a file: :mod:`archgen.writer` does.
"""
