//! A thin streaming layer over quick-xml: start/end events with local names, attributes and the
//! text of leaf elements, and errors that name the file and byte offset.

use crate::error::{ListError, Position};
use quick_xml::events::Event;
use quick_xml::Reader;
use std::io::BufRead;
use std::path::{Path, PathBuf};

/// One simplified XML event.
#[derive(Debug)]
pub(crate) enum Ev {
    /// An element opened (also emitted for empty elements, followed by an [`Ev::End`]).
    Start {
        /// Local name (namespace prefix stripped).
        name: String,
        /// Attributes by local name, unescaped.
        attrs: Vec<(String, String)>,
    },
    /// An element closed; `text` is the text directly collected since the last start tag.
    End {
        /// Local name.
        name: String,
        /// Text content (meaningful for leaf elements), untrimmed.
        text: String,
    },
    /// The document ended with every element closed.
    Eof,
}

/// Streaming reader producing [`Ev`]s.
pub(crate) struct XmlStream<R: BufRead> {
    reader: Reader<R>,
    buf: Vec<u8>,
    path: PathBuf,
    format: &'static str,
    text: String,
    open: Vec<String>,
    pending_end: Option<String>,
    seen_root: bool,
}

impl<R: BufRead> XmlStream<R> {
    /// Wraps a buffered reader; `format` names the format in error messages.
    pub(crate) fn new(input: R, path: &Path, format: &'static str) -> Self {
        let mut reader = Reader::from_reader(input);
        reader.config_mut().check_end_names = true;
        XmlStream {
            reader,
            buf: Vec::with_capacity(4096),
            path: path.to_path_buf(),
            format,
            text: String::new(),
            open: Vec::with_capacity(16),
            pending_end: None,
            seen_root: false,
        }
    }

    /// Current byte offset in the (decompressed) input.
    pub(crate) fn position(&self) -> Position {
        Position::Byte(self.reader.buffer_position())
    }

    /// Nesting depth of the element last started (root = 1).
    pub(crate) fn depth(&self) -> usize {
        self.open.len()
    }

    /// A [`ListError::Malformed`] at the current position.
    pub(crate) fn error(&self, message: impl Into<String>) -> ListError {
        ListError::malformed(&self.path, self.format, self.position(), message)
    }

    /// The next event.
    pub(crate) fn next(&mut self) -> Result<Ev, ListError> {
        if let Some(name) = self.pending_end.take() {
            self.open.pop();
            let text = std::mem::take(&mut self.text);
            return Ok(Ev::End { name, text });
        }
        loop {
            self.buf.clear();
            let event = match self.reader.read_event_into(&mut self.buf) {
                Ok(e) => e,
                Err(e) => {
                    return Err(ListError::malformed(
                        &self.path,
                        self.format,
                        Position::Byte(self.reader.error_position()),
                        e.to_string(),
                    ))
                }
            };
            match event {
                Event::Start(e) => {
                    let (name, attrs) = start_parts(&e, &self.path, self.format, &self.reader)?;
                    self.open.push(name.clone());
                    self.seen_root = true;
                    self.text.clear();
                    return Ok(Ev::Start { name, attrs });
                }
                Event::Empty(e) => {
                    let (name, attrs) = start_parts(&e, &self.path, self.format, &self.reader)?;
                    self.open.push(name.clone());
                    self.seen_root = true;
                    self.text.clear();
                    self.pending_end = Some(name.clone());
                    return Ok(Ev::Start { name, attrs });
                }
                Event::End(e) => {
                    let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                    self.open.pop();
                    let text = std::mem::take(&mut self.text);
                    return Ok(Ev::End { name, text });
                }
                Event::Text(t) => {
                    let s = t.xml10_content().map_err(|e| {
                        ListError::malformed(
                            &self.path,
                            self.format,
                            Position::Byte(self.reader.buffer_position()),
                            e.to_string(),
                        )
                    })?;
                    self.text.push_str(&s);
                }
                Event::CData(c) => {
                    let s = c.xml10_content().map_err(|e| {
                        ListError::malformed(
                            &self.path,
                            self.format,
                            Position::Byte(self.reader.buffer_position()),
                            e.to_string(),
                        )
                    })?;
                    self.text.push_str(&s);
                }
                Event::GeneralRef(r) => {
                    let bad = |msg: String| {
                        ListError::malformed(
                            &self.path,
                            self.format,
                            Position::Byte(self.reader.buffer_position()),
                            msg,
                        )
                    };
                    match r.resolve_char_ref() {
                        Ok(Some(ch)) => self.text.push(ch),
                        Ok(None) => {
                            let name = r.decode().map_err(|e| bad(e.to_string()))?;
                            match quick_xml::escape::resolve_predefined_entity(&name) {
                                Some(v) => self.text.push_str(v),
                                None => return Err(bad(format!("unknown entity &{name};"))),
                            }
                        }
                        Err(e) => return Err(bad(e.to_string())),
                    }
                }
                Event::Eof => {
                    if let Some(open) = self.open.last() {
                        return Err(self.error(format!(
                            "unexpected end of file inside <{open}> (file truncated?)"
                        )));
                    }
                    if !self.seen_root {
                        return Err(self.error("no XML element found (empty file?)"));
                    }
                    return Ok(Ev::Eof);
                }
                Event::Decl(_) | Event::PI(_) | Event::Comment(_) | Event::DocType(_) => {}
            }
        }
    }
}

/// Local name and unescaped attributes of a start tag.
fn start_parts<R>(
    e: &quick_xml::events::BytesStart<'_>,
    path: &Path,
    format: &'static str,
    reader: &Reader<R>,
) -> Result<(String, Vec<(String, String)>), ListError> {
    let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
    let mut attrs = Vec::new();
    for a in e.attributes() {
        let a = a.map_err(|err| {
            ListError::malformed(
                path,
                format,
                Position::Byte(reader.buffer_position()),
                format!("bad attribute in <{name}>: {err}"),
            )
        })?;
        let key = String::from_utf8_lossy(a.key.local_name().as_ref()).into_owned();
        let value = a.unescape_value().map_err(|err| {
            ListError::malformed(
                path,
                format,
                Position::Byte(reader.buffer_position()),
                format!("bad attribute value {key} in <{name}>: {err}"),
            )
        })?;
        attrs.push((key, value.into_owned()));
    }
    Ok((name, attrs))
}

/// The value of attribute `key`, if present.
pub(crate) fn attr<'a>(attrs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    attrs
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}
