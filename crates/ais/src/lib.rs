//! # ais — the AIS codec
//!
//! Bytes in, messages out, with no I/O: NMEA 0183 `!xxVDM`/`!xxVDO` sentences of any talker,
//! checksum verification, IEC 61162-450 tag blocks, Gatehouse `$PGHP` time lines, trailing epoch
//! columns, multipart assembly with a bounded orphan store, and decoding of the AIS message types
//! used for vessel tracking into typed values in which "not available" is `None`, never a number.
//! An encoder writes the same types back, for the simulator and for round-trip tests.
