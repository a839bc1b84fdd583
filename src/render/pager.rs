//! Terminal output through a pager, as git does: when stdout is a terminal and the
//! output turns out longer than the screen, it goes through `$PAGER` (`less -R` by
//! default, with `LESS=FRX` when `LESS` is unset); shorter output is written directly.
//!
//! Output is held only until it fills a screen: from then on it streams into the
//! pager, so a long answer costs no more memory than a short one.

use std::io::{self, Write};
use std::process::{Child, ChildStdin, Command, Stdio};

/// Where text output goes: stdout, or the pager once the output is a screen long.
pub struct Paged {
    state: State,
}

enum State {
    /// Not a terminal, or paging is off.
    Direct(io::BufWriter<io::Stdout>),
    /// A screen's worth of output so far.
    Holding {
        held: Vec<u8>,
        lines: usize,
        pager: String,
        height: usize,
    },
    Paging(Child, io::BufWriter<ChildStdin>),
}

impl Paged {
    /// `pager`: the command and the screen's height, or `None` to write to stdout.
    pub fn new(pager: Option<(String, usize)>) -> Paged {
        let state = match pager {
            None => State::Direct(io::BufWriter::new(io::stdout())),
            Some((pager, height)) => State::Holding {
                held: Vec::new(),
                lines: 0,
                pager,
                height,
            },
        };
        Paged { state }
    }

    /// Write what is held and wait for the pager to be closed.
    pub fn finish(self) -> io::Result<()> {
        match self.state {
            State::Direct(mut out) => out.flush(),
            State::Holding { held, .. } => {
                let mut out = io::stdout().lock();
                out.write_all(&held)?;
                out.flush()
            }
            State::Paging(mut child, stdin) => {
                // Closing its input tells the pager the output is complete.
                let flushed = stdin.into_inner().map_err(|e| e.into_error()).map(drop);
                let status = child.wait()?;
                match flushed {
                    // The reader quit early: not an error.
                    Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
                    Err(e) => Err(e),
                    Ok(()) if status.success() => Ok(()),
                    Ok(()) => Ok(()),
                }
            }
        }
    }
}

/// Start `command` through the shell, as git starts its pager, reading from a pipe.
fn spawn(command: &str) -> io::Result<(Child, ChildStdin)> {
    let mut cmd = Command::new("sh");
    cmd.arg("-c").arg(command).stdin(Stdio::piped());
    if std::env::var_os("LESS").is_none() {
        cmd.env("LESS", "FRX");
    }
    let mut child = cmd.spawn()?;
    let stdin = child
        .stdin
        .take()
        .ok_or_else(|| io::Error::other("pager without input"))?;
    Ok((child, stdin))
}

impl Write for Paged {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match &mut self.state {
            State::Direct(out) => out.write(buf),
            State::Paging(_, pager) => pager.write(buf),
            State::Holding {
                held,
                lines,
                pager,
                height,
            } => {
                held.extend_from_slice(buf);
                *lines += buf.iter().filter(|&&b| b == b'\n').count();
                if *lines >= *height {
                    let held = std::mem::take(held);
                    match spawn(pager) {
                        Ok((child, stdin)) => {
                            let mut stdin = io::BufWriter::new(stdin);
                            stdin.write_all(&held)?;
                            self.state = State::Paging(child, stdin);
                        }
                        // A pager that cannot start: write directly, as git does.
                        Err(_) => {
                            let mut out = io::BufWriter::new(io::stdout());
                            out.write_all(&held)?;
                            self.state = State::Direct(out);
                        }
                    }
                }
                Ok(buf.len())
            }
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.state {
            State::Direct(out) => out.flush(),
            State::Paging(_, pager) => pager.flush(),
            State::Holding { .. } => Ok(()),
        }
    }
}

/// Run `write` with terminal output: coloured or not, paged when long.
pub fn with_terminal<T>(
    output: &crate::config::Output,
    write: impl FnOnce(&mut dyn termcolor::WriteColor) -> anyhow::Result<T>,
) -> anyhow::Result<T> {
    let paged = Paged::new(output.pager.clone());
    let (value, paged) = if output.color {
        let mut out = termcolor::Ansi::new(paged);
        (write(&mut out), out.into_inner())
    } else {
        let mut out = termcolor::NoColor::new(paged);
        (write(&mut out), out.into_inner())
    };
    // The pager is waited for even when writing failed (the reader quit it early).
    let finished = paged.finish();
    let value = value?;
    finished?;
    Ok(value)
}
