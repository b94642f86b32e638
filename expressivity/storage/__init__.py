"""Storage: result records on disk, the run cache, and records read back as tables.

``records`` owns a record's format and integrity (schema, config hash,
checksum, atomic writes, provenance fields); ``cache`` keeps finished records
under their config hash and serves only sound ones; ``results`` and
``collect`` turn sweep folders into tidy pandas tables; ``provenance`` and
``nonfinite`` describe where numbers came from and which were not finite.
May import the core only (for the accelerator's name); never the job, sweeps,
claims or the report.
"""
