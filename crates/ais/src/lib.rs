//! # ais — the AIS codec
//!
//! Bytes in, messages out, with no I/O: NMEA 0183 `!xxVDM`/`!xxVDO` sentences of any talker,
//! checksum verification, IEC 61162-450 tag blocks, Gatehouse `$PGHP` time lines, trailing epoch
//! columns, multipart assembly with a bounded orphan store, and decoding of the AIS message types
//! used for vessel tracking into typed values in which "not available" is `None`, never a number.
//! An encoder writes the same types back, for the simulator and for round-trip tests.
//!
//! ## Decoding a stream
//!
//! Create one [`Decoder`] per input stream and [`Decoder::feed`] it every physical line in order.
//! Each line yields exactly one [`Feed`]:
//!
//! - [`Feed::Decoded`]: a complete [`Message`] with its [`Meta`] (time, station, talker, channel,
//!   number of lines it was assembled from). Types this crate does not decode field by field
//!   (6, 7, 8, 10, 12–17, 20, 22, 23, 25, 26) arrive as [`Message::Other`]: decoded-but-undecoded,
//!   counted by type, not rejected.
//! - [`Feed::Pending`]: a multipart fragment, stored until its message completes.
//! - [`Feed::Rejected`]: with a [`RejectReason`] (stable snake_case names via
//!   [`RejectReason::as_str`]).
//! - [`Feed::NotAis`]: blank lines, comments, `$PGHP` time lines (which set the decoder's current
//!   time and station for the lines that follow), other NMEA sentences.
//!
//! Pending fragments that never complete come back verbatim as [`RejectedLine`]s with reason
//! `orphan_fragment`, from [`Decoder::pop_evicted`] (evicted by age or count; call it after each
//! feed) or [`Decoder::finish`] (end of stream). So the caller can count every line exactly once:
//! `lines = Σ Feed::lines_settled() + evicted orphans + finished orphans`, where
//! [`Feed::lines_settled`] is `meta.lines` for a decoded message, `1 + earlier.len()` for a
//! rejection (earlier fragments of a multipart that failed come back verbatim in
//! [`Rejected::earlier`]), 1 for a non-AIS line and 0 for a pending fragment.
//!
//! Any talker is accepted (`AI`, `AB`, `BS`, `--`, AMSA's `=I`…); it is reported in [`Meta::talker`].
//! Receiving stations longer than 16 bytes are truncated ([`Station`]).
//!
//! ## Times
//!
//! A message's time is, in order of preference: the tag-block `c:` field (seconds, or
//! milliseconds when 13 digits), the first epoch column after the checksum (exactEarth `,<ms>`,
//! USCG `…,r<station>,<epoch>`), or the most recent `$PGHP` line. For multipart messages the first
//! fragment's metadata is used.
//!
//! ## Multipart assembly
//!
//! Fragments are keyed by the tag-block `g:` group id when present, otherwise by (fragment count,
//! sequential message id, channel), ignoring the talker (aggregated feeds mix talkers). They must
//! arrive in order: a fragment that does not continue its message makes both the stored fragments
//! and itself orphans (pyais and gpsd do the same; reassembling out-of-order parts risks gluing
//! halves of two different messages). The store holds at most
//! [`DecoderOptions::max_pending`] messages and evicts by age in lines and in stream time.
//!
//! ## Validation
//!
//! Bad and missing checksums are rejected unless [`DecoderOptions::accept_bad_checksum`]. Each
//! decoded type must have a bit length in [`message::length_bounds`] (satellite feeds carry many
//! payloads with a valid checksum and an impossible length). Message types 0 and 28–63 do not
//! exist and are rejected as `invalid_type`.
//!
//! ## Performance
//!
//! The hot path allocates nothing: the checksum and field split are one pass over the line,
//! de-armouring is a table lookup into `u64` words, fields are read with shifts, and text fields
//! are stored inline ([`AisText`]). Only multipart fragments copy bytes, into buffers that are
//! reused.
//!
//! ## Encoding
//!
//! [`encode::sentences`] turns a [`Message`] back into `!AIVDM` sentences, split into fragments
//! as needed, optionally with a tag block.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod decoder;
pub mod encode;
pub mod message;
mod nmea;
pub mod sixbit;
mod text;

pub use decoder::{
    Decoded, Decoder, DecoderOptions, Feed, Meta, NotAis, Rejected, RejectedLine, TimeSource,
};
pub use message::*;
pub use nmea::Station;
pub use sixbit::Bits;
pub use text::AisText;

/// Why a line (or a message assembled from several lines) was rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, thiserror::Error)]
pub enum RejectReason {
    /// The NMEA checksum does not match the sentence.
    #[error("bad NMEA checksum")]
    BadChecksum,
    /// The sentence has no `*hh` checksum (often a truncated line).
    #[error("missing NMEA checksum")]
    MissingChecksum,
    /// The sentence's fields are not a valid VDM/VDO sentence (field count, fragment numbers,
    /// talker, fill bits, channel, type 24 part number).
    #[error("malformed sentence")]
    Malformed,
    /// A tag block without its closing backslash, or not followed by a sentence.
    #[error("malformed tag block")]
    BadTagBlock,
    /// The payload field is empty.
    #[error("empty payload")]
    EmptyPayload,
    /// The payload contains a character outside the 6-bit armouring alphabet.
    #[error("invalid payload character")]
    BadPayload,
    /// The payload's bit length is impossible for its message type.
    #[error("bit length impossible for the message type")]
    BadLength,
    /// Message type 0 or 28–63, which the standard does not define.
    #[error("undefined message type")]
    InvalidType,
    /// A multipart fragment whose message never completed (missing, reordered or interleaved
    /// parts; evicted by age or count; left at end of stream).
    #[error("orphan multipart fragment")]
    OrphanFragment,
}

impl RejectReason {
    /// Every reason, in a stable order (for summaries).
    pub const ALL: [RejectReason; 9] = [
        RejectReason::BadChecksum,
        RejectReason::MissingChecksum,
        RejectReason::Malformed,
        RejectReason::BadTagBlock,
        RejectReason::EmptyPayload,
        RejectReason::BadPayload,
        RejectReason::BadLength,
        RejectReason::InvalidType,
        RejectReason::OrphanFragment,
    ];

    /// Stable snake_case name, used in summaries and `--rejects` files.
    pub fn as_str(self) -> &'static str {
        match self {
            RejectReason::BadChecksum => "bad_checksum",
            RejectReason::MissingChecksum => "missing_checksum",
            RejectReason::Malformed => "malformed",
            RejectReason::BadTagBlock => "bad_tag_block",
            RejectReason::EmptyPayload => "empty_payload",
            RejectReason::BadPayload => "bad_payload",
            RejectReason::BadLength => "bad_length",
            RejectReason::InvalidType => "invalid_type",
            RejectReason::OrphanFragment => "orphan_fragment",
        }
    }
}

impl serde::Serialize for RejectReason {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// Decodes one complete armoured payload (all fragments concatenated) with its fill-bit count.
pub fn decode_payload(payload: &[u8], fill: u8) -> Result<Message, RejectReason> {
    let mut bits = Bits::new();
    if !bits.push_armored(payload) {
        return Err(if payload.len() * 6 > sixbit::MAX_BITS {
            RejectReason::BadLength
        } else {
            RejectReason::BadPayload
        });
    }
    bits.truncate_by(fill as usize);
    message::decode_bits(&bits)
}
