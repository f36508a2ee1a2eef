"""kzpress: turn an article into a printed pamphlet, an e-book and files for translators."""

__version__ = "0.1.0"
