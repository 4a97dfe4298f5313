//! The stateful line decoder: one per input stream.

use std::collections::VecDeque;

use serde::Serialize;

use crate::message::{decode_bits, Message};
use crate::nmea::{self, Sentence, SentenceKind, Station};
use crate::sixbit::Bits;
use crate::text::AisText;
use crate::RejectReason;

/// Options of a [`Decoder`].
#[derive(Debug, Clone)]
pub struct DecoderOptions {
    /// Accept sentences whose NMEA checksum is wrong or missing (forensic use). Such messages are
    /// decoded with [`Meta::checksum_ok`] = false. Default false: they are rejected.
    pub accept_bad_checksum: bool,
    /// Most incomplete multipart messages kept at once; when a new one arrives at the limit, the
    /// oldest is evicted as [`RejectReason::OrphanFragment`]. Default 256.
    pub max_pending: usize,
    /// A pending message whose first fragment is more than this many lines old is evicted.
    /// Default 1,000.
    pub max_pending_age_lines: u64,
    /// A pending message is evicted when the stream clock (the newest time seen on the stream)
    /// has advanced more than this many milliseconds since its first fragment arrived (only on
    /// streams that carry times). Default 60,000.
    pub max_pending_age_ms: i64,
}

impl Default for DecoderOptions {
    fn default() -> Self {
        Self {
            accept_bad_checksum: false,
            max_pending: 256,
            max_pending_age_lines: 1_000,
            max_pending_age_ms: 60_000,
        }
    }
}

/// Where a message's time came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeSource {
    /// Tag block `c:` field.
    TagBlock,
    /// A trailing epoch column after the checksum (exactEarth, USCG NAIS).
    Trailing,
    /// The most recent Gatehouse `$PGHP` line.
    Pghp,
}

/// Reception metadata of one decoded message.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Meta {
    /// Reception time, UTC milliseconds since the Unix epoch, when the input carries one.
    pub time_ms: Option<i64>,
    /// Source of `time_ms`.
    pub time_source: Option<TimeSource>,
    /// Receiving station: tag-block `s:`, USCG `r…` column, or the `$PGHP` station MMSI.
    pub station: Option<Station>,
    /// NMEA talker (`AI`, `AB`, `BS`, …).
    pub talker: AisText<2>,
    /// True for `VDO` (own-ship) sentences.
    pub own_ship: bool,
    /// Radio channel field as sent (`A`, `B`, `1`, `2`, …), if any.
    pub channel: Option<char>,
    /// Number of physical lines this message was assembled from.
    pub lines: u8,
    /// Line number (1-based, counting every line fed) of the message's first line.
    pub line_no: u64,
    /// False when the message was let through with a bad or missing checksum
    /// ([`DecoderOptions::accept_bad_checksum`]).
    pub checksum_ok: bool,
    /// `Some(false)` when a tag block was present and its own checksum was wrong (its fields are
    /// still used: the sentence carries its own checksum); `None` without tag block.
    pub tag_block_checksum_ok: Option<bool>,
}

/// A decoded message with its metadata.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Decoded {
    /// The message.
    pub message: Message,
    /// Where and when it was received.
    pub meta: Meta,
}

/// A rejected line kept verbatim, for `--rejects` files and exact line accounting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RejectedLine {
    /// Why it was rejected.
    pub reason: RejectReason,
    /// Its line number (1-based, counting every line fed to the decoder).
    pub line_no: u64,
    /// The line's bytes as fed, less a final `\n` or `\r\n`.
    pub raw: Vec<u8>,
}

/// The current line was rejected, possibly together with earlier fragments of the same message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejected {
    /// Why.
    pub reason: RejectReason,
    /// Earlier lines rejected along with this one (the fragments of a multipart message whose
    /// assembled payload failed to decode). Empty for a single line; allocation-free then.
    pub earlier: Vec<RejectedLine>,
}

/// Kinds of lines that are not AIS data and are skipped by rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NotAis {
    /// Empty or whitespace-only line.
    Blank,
    /// A `#` comment.
    Comment,
    /// A Gatehouse `$PGHP` time line (it updates the decoder's current time and station).
    TimeLine,
    /// Any other NMEA sentence (`$GPGGA`, `$AIVSI`, `!AIABK`, …).
    OtherNmea,
    /// A line that is neither NMEA nor comment (no `!`, `$`, `\` or `#` at its start).
    Other,
}

impl NotAis {
    /// Stable snake_case name for summaries.
    pub fn as_str(self) -> &'static str {
        match self {
            NotAis::Blank => "blank",
            NotAis::Comment => "comment",
            NotAis::TimeLine => "time_line",
            NotAis::OtherNmea => "other_nmea",
            NotAis::Other => "other",
        }
    }
}

/// What one physical line amounted to. Exactly one outcome per line fed.
#[derive(Debug, Clone, PartialEq)]
pub enum Feed {
    /// A complete message; `meta.lines` lines (this one and earlier pending fragments) made it.
    Decoded(Decoded),
    /// A fragment of a multipart message, stored until the rest arrives. It is later accounted
    /// for either by the [`Feed::Decoded`] that completes it or as an orphan rejection from
    /// [`Decoder::pop_evicted`] / [`Decoder::finish`].
    Pending,
    /// Rejected (with earlier fragments, see [`Rejected::earlier`]).
    Rejected(Rejected),
    /// Not AIS data.
    NotAis(NotAis),
}

impl Feed {
    /// How many physical lines this outcome settles for good: the message's lines for
    /// `Decoded`, 1 + earlier fragments for `Rejected`, 1 for `NotAis`, 0 for `Pending` (settled
    /// later). With evicted and finished orphans (1 each) these sum to the number of lines fed.
    pub fn lines_settled(&self) -> u64 {
        match self {
            Feed::Decoded(d) => d.meta.lines as u64,
            Feed::Pending => 0,
            Feed::Rejected(r) => 1 + r.earlier.len() as u64,
            Feed::NotAis(_) => 1,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Key {
    /// Tag-block `g:` group id with the fragment count.
    Group { id: u32, total: u8 },
    /// (fragment count, sequence id, channel), talker-agnostic.
    Seq {
        total: u8,
        seq: Option<u8>,
        channel: Option<u8>,
    },
}

#[derive(Debug)]
struct Slot {
    active: bool,
    key: Key,
    total: u8,
    next: u8,
    first_line_no: u64,
    /// The stream clock ([`Decoder::current_time_ms`]) when the first fragment arrived. Ageing
    /// uses the clock, not the message's own time: satellite feeds deliver times out of order.
    first_clock_ms: Option<i64>,
    meta: Meta,
    /// Concatenated armoured payloads of the fragments so far.
    payload: Vec<u8>,
    fill: u8,
    /// Concatenated raw fragment lines, and per line (line number, end offset in `raw`).
    raw: Vec<u8>,
    raw_lines: Vec<(u64, usize)>,
}

impl Slot {
    fn drain_lines(&mut self, reason: RejectReason, out: &mut impl Extend<RejectedLine>) {
        let mut start = 0;
        out.extend(self.raw_lines.iter().map(|&(line_no, end)| {
            let raw = self.raw[start..end].to_vec();
            start = end;
            RejectedLine {
                reason,
                line_no,
                raw,
            }
        }));
        self.release();
    }

    fn release(&mut self) {
        self.active = false;
        self.payload.clear();
        self.raw.clear();
        self.raw_lines.clear();
    }
}

/// Stateful AIS line decoder: feed it the lines of one input stream, in order.
///
/// ```
/// use ais::{Decoder, DecoderOptions, Feed, Message};
/// let mut dec = Decoder::new(DecoderOptions::default());
/// match dec.feed(b"!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A") {
///     Feed::Decoded(d) => assert_eq!(d.message.mmsi(), 371798000),
///     other => panic!("{other:?}"),
/// }
/// // Lines still pending at the end are orphans, returned verbatim.
/// assert!(dec.finish().is_empty());
/// ```
#[derive(Debug)]
pub struct Decoder {
    opts: DecoderOptions,
    line_no: u64,
    bits: Bits,
    /// Time and station of the last valid `$PGHP` line.
    pghp: Option<(i64, Option<Station>)>,
    /// True once a message has taken its time from `pghp`: a Gatehouse time line stamps the one
    /// message after it, not every later line (feeds that mix in a few `$PGHP` lines would
    /// otherwise date thousands of untimed sentences).
    pghp_used: bool,
    /// Newest time seen on the stream, for age-based eviction.
    now_ms: Option<i64>,
    slots: Vec<Slot>,
    active: usize,
    /// Lower bound of the first-line numbers of active slots (may be stale-low).
    oldest_line: u64,
    /// Lower bound of the first-fragment times of active slots (may be stale-low).
    oldest_time: i64,
    evicted: VecDeque<RejectedLine>,
}

impl Decoder {
    /// A decoder with the given options.
    pub fn new(opts: DecoderOptions) -> Self {
        Self {
            opts,
            line_no: 0,
            bits: Bits::new(),
            pghp: None,
            pghp_used: false,
            now_ms: None,
            slots: Vec::new(),
            active: 0,
            oldest_line: u64::MAX,
            oldest_time: i64::MAX,
            evicted: VecDeque::new(),
        }
    }

    /// Number of lines fed so far.
    pub fn lines_fed(&self) -> u64 {
        self.line_no
    }

    /// The newest reception time seen on the stream (tag blocks, trailing columns, `$PGHP`).
    pub fn current_time_ms(&self) -> Option<i64> {
        self.now_ms
    }

    /// Number of multipart messages currently waiting for fragments.
    pub fn pending(&self) -> usize {
        self.active
    }

    /// Takes the next fragment line evicted from the orphan store (by age or count). Call it after
    /// each [`Decoder::feed`] (cheap when empty) so every line is accounted for.
    pub fn pop_evicted(&mut self) -> Option<RejectedLine> {
        self.evicted.pop_front()
    }

    /// Ends the stream: every fragment still pending (and any not yet popped eviction) is returned
    /// as an [`RejectReason::OrphanFragment`] rejection, in line order. The decoder can then be
    /// reused for a new stream (line numbers continue).
    pub fn finish(&mut self) -> Vec<RejectedLine> {
        let mut out: Vec<RejectedLine> = self.evicted.drain(..).collect();
        for slot in self.slots.iter_mut().filter(|s| s.active) {
            slot.drain_lines(RejectReason::OrphanFragment, &mut out);
        }
        self.active = 0;
        self.oldest_line = u64::MAX;
        self.oldest_time = i64::MAX;
        out.sort_by_key(|r| r.line_no);
        out
    }

    /// Feeds one physical line (with or without its `\r\n`) and says what it amounted to.
    pub fn feed(&mut self, line: &[u8]) -> Feed {
        self.line_no += 1;
        // Stored fragments keep the line as given, less its terminator, for `--rejects` files.
        let verbatim = line.strip_suffix(b"\n").unwrap_or(line);
        let verbatim = verbatim.strip_suffix(b"\r").unwrap_or(verbatim);
        let line = trim_end(line);
        if self.active > 0 {
            self.evict_expired();
        }
        let Some(&first) = line.first() else {
            return Feed::NotAis(NotAis::Blank);
        };
        let (tag, rest) = match first {
            b'!' => (None, line),
            b'\\' => {
                let Some(end) = nmea::memchr_byte(b'\\', &line[1..]) else {
                    return reject(RejectReason::BadTagBlock);
                };
                let tb = nmea::parse_tag_block(&line[1..1 + end]);
                (Some(tb), &line[end + 2..])
            }
            b'$' => return self.dollar_line(line),
            b'#' => return Feed::NotAis(NotAis::Comment),
            _ => {
                if line.iter().all(u8::is_ascii_whitespace) {
                    return Feed::NotAis(NotAis::Blank);
                }
                // A VDM/VDO sentence with a damaged start is broken AIS data, not something else.
                if line.windows(4).any(|w| w == b"VDM," || w == b"VDO,") {
                    return reject(RejectReason::Malformed);
                }
                return Feed::NotAis(NotAis::Other);
            }
        };
        match rest.first() {
            Some(b'!') => {}
            Some(b'$') if tag.is_some() => return self.dollar_line(rest),
            // A tag block followed by nothing usable.
            _ => return reject(RejectReason::BadTagBlock),
        }
        if let SentenceKind::Other = nmea::sentence_kind(rest) {
            return Feed::NotAis(NotAis::OtherNmea);
        }
        let s = match nmea::parse_sentence(rest, self.opts.accept_bad_checksum) {
            Ok(s) => s,
            Err(reason) => return reject(reason),
        };
        let starts_message = s.num <= 1;
        if starts_message && self.pghp_used {
            self.pghp = None;
            self.pghp_used = false;
        }
        let meta = self.meta_for(&s, tag.as_ref());
        if starts_message && meta.time_source == Some(TimeSource::Pghp) {
            self.pghp_used = true;
        }
        if let Some(t) = meta.time_ms {
            self.now_ms = Some(self.now_ms.map_or(t, |n| n.max(t)));
        }
        if s.total == 1 {
            self.bits.clear();
            if !self.bits.push_armored(s.payload) {
                return reject(payload_error(s.payload));
            }
            self.bits.truncate_by(s.fill as usize);
            return match decode_bits(&self.bits) {
                Ok(message) => Feed::Decoded(Decoded { message, meta }),
                Err(reason) => reject(reason),
            };
        }
        let key = match tag.and_then(|t| t.group) {
            Some((_, g_total, id)) if g_total > 1 => Key::Group { id, total: s.total },
            _ => Key::Seq {
                total: s.total,
                seq: s.seq,
                channel: s.channel,
            },
        };
        self.fragment(key, &s, meta, verbatim)
    }

    fn dollar_line(&mut self, line: &[u8]) -> Feed {
        if line.starts_with(b"$PGHP") {
            if let Some((t, station)) = nmea::parse_pghp(line) {
                self.pghp = Some((t, station));
                self.pghp_used = false;
                self.now_ms = Some(self.now_ms.map_or(t, |n| n.max(t)));
                return Feed::NotAis(NotAis::TimeLine);
            }
        }
        Feed::NotAis(NotAis::OtherNmea)
    }

    fn meta_for(&self, s: &Sentence<'_>, tag: Option<&nmea::TagBlock>) -> Meta {
        let (trail_time, trail_station) = if s.trailing.is_empty() {
            (None, None)
        } else {
            nmea::parse_trailing(s.trailing)
        };
        let (mut time_ms, mut time_source) = (None, None);
        if let Some(t) = tag.and_then(|t| t.time_ms) {
            time_ms = Some(t);
            time_source = Some(TimeSource::TagBlock);
        } else if let Some(t) = trail_time {
            time_ms = Some(t);
            time_source = Some(TimeSource::Trailing);
        } else if let Some((t, _)) = self.pghp {
            time_ms = Some(t);
            time_source = Some(TimeSource::Pghp);
        }
        let station = tag
            .and_then(|t| t.station)
            .or(trail_station)
            .or_else(|| self.pghp.and_then(|(_, st)| st));
        let mut talker = AisText::new();
        talker.push_byte(s.talker[0]);
        talker.push_byte(s.talker[1]);
        Meta {
            time_ms,
            time_source,
            station,
            talker,
            own_ship: s.own_ship,
            channel: s.channel.map(char::from),
            lines: 1,
            line_no: self.line_no,
            checksum_ok: s.checksum_ok,
            tag_block_checksum_ok: tag.map(|t| t.checksum_ok),
        }
    }

    fn fragment(&mut self, key: Key, s: &Sentence<'_>, meta: Meta, line: &[u8]) -> Feed {
        let found = self.slots.iter().position(|sl| sl.active && sl.key == key);
        if s.num == 1 {
            if let Some(i) = found {
                // A new first fragment: the previous message with this key never completed.
                self.slots[i].drain_lines(RejectReason::OrphanFragment, &mut self.evicted);
                self.active -= 1;
            }
            if self.active >= self.opts.max_pending.max(1) {
                self.evict_oldest();
            }
            let idx = match self.slots.iter().position(|sl| !sl.active) {
                Some(i) => i,
                None => {
                    self.slots.push(Slot {
                        active: false,
                        key,
                        total: 0,
                        next: 0,
                        first_line_no: 0,
                        first_clock_ms: None,
                        meta: meta.clone(),
                        payload: Vec::new(),
                        fill: 0,
                        raw: Vec::new(),
                        raw_lines: Vec::new(),
                    });
                    self.slots.len() - 1
                }
            };
            let time = self.now_ms;
            let slot = &mut self.slots[idx];
            slot.first_clock_ms = time;
            slot.active = true;
            slot.key = key;
            slot.total = s.total;
            slot.next = 2;
            slot.first_line_no = self.line_no;
            slot.meta = meta;
            slot.payload.extend_from_slice(s.payload);
            slot.fill = s.fill;
            slot.raw.extend_from_slice(line);
            slot.raw_lines.push((self.line_no, slot.raw.len()));
            self.active += 1;
            self.oldest_line = self.oldest_line.min(self.line_no);
            if let Some(t) = time {
                self.oldest_time = self.oldest_time.min(t);
            }
            return Feed::Pending;
        }
        let Some(i) = found else {
            return reject(RejectReason::OrphanFragment);
        };
        if self.slots[i].next != s.num {
            // Out of sequence: neither the stored fragments nor this one can be trusted to belong
            // together (same rule as pyais and gpsd: fragments must arrive in order).
            self.slots[i].drain_lines(RejectReason::OrphanFragment, &mut self.evicted);
            self.active -= 1;
            return reject(RejectReason::OrphanFragment);
        }
        if (self.slots[i].payload.len() + s.payload.len()) * 6 > crate::sixbit::MAX_BITS + 5 {
            // Already longer than any message can be: give up now rather than buffer more.
            let mut earlier = Vec::new();
            self.slots[i].drain_lines(RejectReason::BadLength, &mut earlier);
            self.active -= 1;
            return Feed::Rejected(Rejected {
                reason: RejectReason::BadLength,
                earlier,
            });
        }
        let slot = &mut self.slots[i];
        slot.payload.extend_from_slice(s.payload);
        slot.fill = s.fill;
        slot.raw.extend_from_slice(line);
        slot.raw_lines.push((self.line_no, slot.raw.len()));
        slot.checksum_ok_merge(s.checksum_ok);
        if s.num < slot.total {
            slot.next += 1;
            return Feed::Pending;
        }
        // Complete.
        self.bits.clear();
        let ok = self.bits.push_armored(&slot.payload);
        let result = if ok {
            self.bits.truncate_by(slot.fill as usize);
            decode_bits(&self.bits)
        } else {
            Err(payload_error(&slot.payload))
        };
        self.active -= 1;
        match result {
            Ok(message) => {
                let mut meta = slot.meta.clone();
                meta.lines = slot.total;
                slot.release();
                Feed::Decoded(Decoded { message, meta })
            }
            Err(reason) => {
                // The current line is the last entry of raw_lines; report the others as earlier.
                let mut earlier = Vec::with_capacity(slot.raw_lines.len());
                slot.drain_lines(reason, &mut earlier);
                earlier.pop();
                Feed::Rejected(Rejected { reason, earlier })
            }
        }
    }

    fn evict_oldest(&mut self) {
        let oldest = self
            .slots
            .iter()
            .enumerate()
            .filter(|(_, s)| s.active)
            .min_by_key(|(_, s)| s.first_line_no)
            .map(|(i, _)| i);
        if let Some(i) = oldest {
            self.slots[i].drain_lines(RejectReason::OrphanFragment, &mut self.evicted);
            self.active -= 1;
        }
    }

    fn evict_expired(&mut self) {
        let max_lines = self.opts.max_pending_age_lines;
        let line_expired = self.line_no.saturating_sub(self.oldest_line) > max_lines;
        let time_expired = match self.now_ms {
            Some(now) if self.oldest_time != i64::MAX => {
                now.saturating_sub(self.oldest_time) > self.opts.max_pending_age_ms
            }
            _ => false,
        };
        if !line_expired && !time_expired {
            return;
        }
        let mut oldest_line = u64::MAX;
        let mut oldest_time = i64::MAX;
        let now = self.now_ms;
        let max_ms = self.opts.max_pending_age_ms;
        for slot in self.slots.iter_mut().filter(|s| s.active) {
            let too_old_lines = self.line_no.saturating_sub(slot.first_line_no) > max_lines;
            let too_old_time = match (now, slot.first_clock_ms) {
                (Some(now), Some(t)) => now.saturating_sub(t) > max_ms,
                _ => false,
            };
            if too_old_lines || too_old_time {
                slot.drain_lines(RejectReason::OrphanFragment, &mut self.evicted);
                self.active -= 1;
            } else {
                oldest_line = oldest_line.min(slot.first_line_no);
                if let Some(t) = slot.first_clock_ms {
                    oldest_time = oldest_time.min(t);
                }
            }
        }
        self.oldest_line = oldest_line;
        self.oldest_time = oldest_time;
    }
}

impl Slot {
    fn checksum_ok_merge(&mut self, ok: bool) {
        self.meta.checksum_ok &= ok;
    }
}

#[inline]
fn reject(reason: RejectReason) -> Feed {
    Feed::Rejected(Rejected {
        reason,
        earlier: Vec::new(),
    })
}

fn payload_error(payload: &[u8]) -> RejectReason {
    if payload
        .iter()
        .any(|&c| crate::sixbit::DEARMOR[c as usize] == crate::sixbit::INVALID)
    {
        RejectReason::BadPayload
    } else {
        RejectReason::BadLength
    }
}

#[inline]
fn trim_end(mut line: &[u8]) -> &[u8] {
    while let [rest @ .., last] = line {
        if matches!(last, b'\n' | b'\r' | b' ' | b'\t' | 0) {
            line = rest;
        } else {
            break;
        }
    }
    line
}
