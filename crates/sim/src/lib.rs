//! # sim — AIS traffic with ground truth
//!
//! Writes AIS exactly as receivers deliver it (NMEA with tag blocks, or NOAA-style CSV) for a
//! scenario of ports, sea lanes and a fleet, with scripted evasion (ship-to-ship transfers, dark
//! periods, identity and position spoofing) and benign look-alikes, through a receiver model of
//! terrestrial stations and satellite passes. Alongside the traffic it writes `truth.json`, the
//! list of every scripted event, so detectors can be scored honestly.

pub mod truth;
