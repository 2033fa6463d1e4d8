"""Official documents (公文) and reports written from the records, laid out per GB/T 9704-2012."""
