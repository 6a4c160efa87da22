"""The only code that knows WordprocessingML: package safety, reading, writing."""
