"""MedBill Lab: learn medical billing and coding on the real code sets."""

__version__ = "0.1.0"
