//! Peak memory of decoding one large page of connections, typed and as `serde_json::Value`,
//! each decode in a child process of its own (a fresh heap, so one decode's freed memory is not
//! the next one's head start).
//!
//! The child reads the page from a file, notes its resident memory (the page's bytes
//! included), resets the kernel's high-water mark (`/proc/self/clear_refs`), decodes, checks
//! the number of connections, and prints its resident memory before decoding and the
//! high-water mark after: the growth is what decoding cost. Linux only (`/proc`).

use std::io::{BufWriter, Write};
use std::path::Path;
use std::process::Command;

use atlas_streams::models::PaginatedApiStreamsConnectionView;

use crate::connections;

/// The argument that makes the bench binary a decoding child.
pub const CHILD_FLAG: &str = "--decode-memory-child";

type BoxError = Box<dyn std::error::Error>;

/// What the page is decoded into.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decoder {
    /// `PaginatedApiStreamsConnectionView`.
    Typed,
    /// `serde_json::Value`.
    Value,
}

impl Decoder {
    fn name(self) -> &'static str {
        match self {
            Decoder::Typed => "typed",
            Decoder::Value => "value",
        }
    }
}

/// One child's resident memory, in bytes.
#[derive(Clone, Copy, Debug)]
pub struct Peak {
    /// Before decoding (the process and the page's bytes).
    pub before: u64,
    /// The high-water mark while decoding, the decoded page still alive.
    pub peak: u64,
}

impl Peak {
    /// What decoding added.
    pub fn growth(&self) -> u64 {
        self.peak.saturating_sub(self.before)
    }
}

/// Writes a page of connections of at least `target` bytes to `path`: the connections of the
/// runtime bench's 500-connection page (every known type, and unknown ones) over and over.
/// Returns the number of connections and the file's size.
pub fn write_page(path: &Path, target: usize) -> Result<(usize, u64), BoxError> {
    let sample: serde_json::Value = serde_json::from_str(&connections::page(500))?;
    let items: Vec<String> = sample["results"]
        .as_array()
        .ok_or("the sample page has no results")?
        .iter()
        .map(|c| c.to_string())
        .collect();
    let mut out = BufWriter::new(std::fs::File::create(path)?);
    out.write_all(br#"{"links":[],"results":["#)?;
    let (mut written, mut count) = (0usize, 0usize);
    while written < target {
        let item = &items[count % items.len()];
        if count > 0 {
            out.write_all(b",")?;
        }
        out.write_all(item.as_bytes())?;
        written += item.len() + 1;
        count += 1;
    }
    write!(out, r#"],"totalCount":{count}}}"#)?;
    out.flush()?;
    Ok((count, std::fs::metadata(path)?.len()))
}

/// Runs a child of the current executable decoding the page at `path` with `decoder`.
pub fn measure(path: &Path, decoder: Decoder, expected: usize) -> Result<Peak, BoxError> {
    let output = Command::new(std::env::current_exe()?)
        .arg(CHILD_FLAG)
        .arg(decoder.name())
        .arg(path)
        .arg(expected.to_string())
        .output()?;
    if !output.status.success() {
        return Err(format!(
            "the {} decoding child failed: {}",
            decoder.name(),
            String::from_utf8_lossy(&output.stderr)
        )
        .into());
    }
    let text = String::from_utf8(output.stdout)?;
    let numbers: Vec<u64> = text.split_whitespace().map(str::parse).collect::<Result<_, _>>()?;
    match numbers[..] {
        [before, peak] => Ok(Peak { before, peak }),
        _ => Err(format!("unexpected child output `{text}`").into()),
    }
}

/// The child: `args` are what follows [`CHILD_FLAG`] (decoder, page file, expected count).
/// Prints the resident memory before decoding and the high-water mark, in bytes.
pub fn child(args: &[String]) -> Result<(), BoxError> {
    let [decoder, path, expected] = args else {
        return Err("usage: --decode-memory-child typed|value <page file> <connections>".into());
    };
    let expected: usize = expected.parse()?;
    let bytes = std::fs::read(path)?;
    let before = status_bytes("VmRSS")?;
    // Forget the peak of reading the file (the kernel's high-water mark since here).
    std::fs::write("/proc/self/clear_refs", "5")?;
    let count = match decoder.as_str() {
        "typed" => {
            let page: PaginatedApiStreamsConnectionView = serde_json::from_slice(&bytes)?;
            let count = page.results.len();
            let peak = status_bytes("VmHWM")?;
            std::hint::black_box(&page);
            (count, peak)
        }
        "value" => {
            let page: serde_json::Value = serde_json::from_slice(&bytes)?;
            let count = page["results"].as_array().map_or(0, Vec::len);
            let peak = status_bytes("VmHWM")?;
            std::hint::black_box(&page);
            (count, peak)
        }
        other => return Err(format!("unknown decoder `{other}`").into()),
    };
    let (decoded, peak) = count;
    if decoded != expected {
        return Err(format!("decoded {decoded} connections, expected {expected}").into());
    }
    println!("{before} {peak}");
    Ok(())
}

/// A `/proc/self/status` memory field (`VmRSS`, `VmHWM`), in bytes.
fn status_bytes(field: &str) -> Result<u64, BoxError> {
    let status = std::fs::read_to_string("/proc/self/status")?;
    let line = status
        .lines()
        .find(|l| l.starts_with(field) && l[field.len()..].starts_with(':'))
        .ok_or_else(|| format!("no {field} in /proc/self/status"))?;
    let kib: u64 = line[field.len() + 1..].trim().trim_end_matches("kB").trim().parse()?;
    Ok(kib * 1024)
}
