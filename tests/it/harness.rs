//! A temporary directory with a corpus and an index, and the real `sitrep` executable.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub struct Env {
    dir: tempfile::TempDir,
}

/// What a run of the executable gave.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(o: Output) -> Run {
        Run {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }
}

impl Env {
    pub fn new() -> Env {
        Env {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// The corpus folder of this environment.
    pub fn corpus(&self) -> PathBuf {
        self.dir.path().join("corpus")
    }

    /// Write a corpus file (creating folders).
    pub fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        self.write_at(&format!("corpus/{rel}"), bytes)
    }

    /// Write a file anywhere in the environment (creating folders).
    pub fn write_at(&self, rel: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.dir.path().join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(&path, bytes).expect("write");
        path
    }

    /// Copy a fixture file or folder from `tests/data` into the corpus.
    pub fn copy_fixture(&self, rel: &str) {
        let from = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data")
            .join(rel);
        copy_tree(&from, &self.corpus().join(from.file_name().expect("name")));
    }

    /// A command for the real executable, run in the environment with `--index <tmp>/index`.
    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_sitrep"));
        cmd.current_dir(self.dir.path())
            .env_remove("SITREP_INDEX")
            .env("NO_COLOR", "1")
            .arg("--index")
            .arg(self.dir.path().join("index"))
            .args(args);
        cmd
    }

    pub fn run(&self, args: &[&str]) -> Run {
        self.cmd(args).output().expect("run sitrep").into()
    }

    /// A command for the real executable in the environment, without `--index`.
    pub fn bare_cmd(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_sitrep"));
        cmd.current_dir(self.dir.path())
            .env_remove("SITREP_INDEX")
            .env("NO_COLOR", "1")
            .args(args);
        cmd
    }

    /// Index the corpus folder; panics with the output unless the exit code is `code`.
    pub fn index(&self, code: i32) -> Run {
        let corpus = self.corpus();
        let run = self.run(&["index", corpus.to_str().expect("utf-8 path")]);
        assert_eq!(
            run.code, code,
            "index exit code\nstdout:\n{}\nstderr:\n{}",
            run.stdout, run.stderr
        );
        run
    }

    /// `search --json` hits (the summary line excluded), parsed.
    /// The hits of `sitrep search --json ARGS`, without those of a relaxed query (shown
    /// when nothing matches the query as asked).
    pub fn search_json(&self, args: &[&str]) -> Vec<serde_json::Value> {
        let mut all = vec!["search", "--json"];
        all.extend_from_slice(args);
        let run = self.run(&all);
        // 4: nothing matched (the hits are then none).
        assert!(
            run.code == 0 || run.code == 4,
            "search failed ({}): {}",
            run.code,
            run.stderr
        );
        run.stdout
            .lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("json line"))
            .filter(|v| v["type"] == "hit" && v["relaxed"] != true)
            .collect()
    }
}

/// Run `cmd` to its end, or kill it after `secs` seconds: `None` when it had to be
/// killed (a test of something that used to hang must fail, not hang).
pub fn run_within(mut cmd: Command, secs: u64) -> Option<Run> {
    use std::process::Stdio;
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn sitrep");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(secs);
    while std::time::Instant::now() < deadline {
        if child.try_wait().expect("wait").is_some() {
            return Some(child.wait_with_output().expect("output").into());
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
    None
}

fn copy_tree(from: &Path, to: &Path) {
    if from.is_dir() {
        std::fs::create_dir_all(to).expect("mkdir");
        for entry in std::fs::read_dir(from).expect("read fixture dir") {
            let entry = entry.expect("entry");
            copy_tree(&entry.path(), &to.join(entry.file_name()));
        }
    } else {
        std::fs::create_dir_all(to.parent().expect("parent")).expect("mkdir");
        std::fs::copy(from, to).expect("copy fixture");
    }
}

/// The repository's bundled Belgorod report.
pub fn belgorod_report() -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/seed/belgorod-strikes.txt");
    std::fs::read(path).expect("bundled Belgorod report")
}

/// Run `cmd` with its standard output on a pseudo-terminal of `rows` × `cols` (its
/// standard error piped): what a user at a terminal would see. Returns the exit code,
/// what reached the terminal and the standard error.
#[allow(unsafe_code)]
pub fn run_on_terminal(mut cmd: Command, rows: u16, cols: u16) -> (i32, String, String) {
    use std::io::Read;
    use std::os::fd::{FromRawFd, OwnedFd};
    use std::process::Stdio;
    let (mut master, mut slave) = (0, 0);
    let size = libc::winsize {
        ws_row: rows,
        ws_col: cols,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    // SAFETY: openpty writes two descriptors into the integers given and reads the
    // window size; nothing else is passed.
    let made = unsafe {
        libc::openpty(
            &mut master,
            &mut slave,
            std::ptr::null_mut(),
            std::ptr::null_mut(),
            &size as *const libc::winsize as *mut libc::winsize,
        )
    };
    assert_eq!(made, 0, "openpty failed");
    // SAFETY: both descriptors were just opened by openpty and are owned here alone.
    let (master, slave) = unsafe { (OwnedFd::from_raw_fd(master), OwnedFd::from_raw_fd(slave)) };
    let child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::from(slave))
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn sitrep");
    // The parent's copy of the terminal's end went with `cmd`'s Stdio into the child.
    drop(cmd);
    let reader = std::thread::spawn(move || {
        let mut file = std::fs::File::from(master);
        let mut out = Vec::new();
        let mut buf = [0u8; 4096];
        // Reading fails (EIO) once every writer of the terminal has closed it.
        while let Ok(n) = file.read(&mut buf) {
            if n == 0 {
                break;
            }
            out.extend_from_slice(&buf[..n]);
        }
        out
    });
    let output = child.wait_with_output().expect("wait for sitrep");
    let seen = reader.join().expect("terminal reader");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&seen).replace("\r\n", "\n"),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Places, weapons and publishers of `war_news`.
pub const PLACES: [&str; 4] = ["Kharkiv", "Donetsk", "Kherson", "Mariupol"];
const WEAPONS: [&str; 4] = [
    "HIMARS rockets",
    "Kalibr cruise missiles",
    "Shahed-136 drones",
    "artillery",
];

/// A small corpus of dated reports over four months: `news.jsonl` (twelve articles of
/// three paragraphs; those from president.gov.ua and en.kremlin.ru have a URL but no
/// publisher, the others say Reuters), `wire.csv` (two records, with text beyond ASCII
/// before the words a search finds) and an undated `notes.txt`.
pub fn war_news(env: &Env) {
    let mut jsonl = String::new();
    for i in 0..12usize {
        let place = PLACES[i % 4];
        let weapon = WEAPONS[(i / 4 + i) % 4];
        let month = 1 + i / 3;
        let day = 3 + 7 * (i % 3);
        let body = format!(
            "Shelling of {place} continued on Tuesday, officials said. Residents reported damage to homes near the centre of {place}.\n\n\
             The regional governor said that {weapon} struck an industrial site in {place} overnight.\n\n\
             Aid agencies said they were sending water and food to the city, report number {i}."
        );
        let mut record = serde_json::json!({
            "title": format!("Report {i}: {place} under fire"),
            "body": body,
            "date": format!("2022-{month:02}-{day:02}"),
        });
        match i % 3 {
            0 => record["url"] = format!("https://www.president.gov.ua/en/news/report-{i}").into(),
            1 => record["url"] = format!("http://en.kremlin.ru/events/president/news/{i}").into(),
            _ => record["source"] = "Reuters".into(),
        }
        jsonl.push_str(&record.to_string());
        jsonl.push('\n');
    }
    env.write("news.jsonl", jsonl);
    env.write(
        "wire.csv",
        "id,title,body,date,source\n\
         w1,Erdoğan in Ankara,\"Türkiye’s President Recep Tayyip Erdoğan said in Ankara that the shelling of Kharkiv must stop.\",2022-03-15,Anadolu\n\
         w2,Talks in Istanbul,\"Delegations met in Istanbul; the shelling of Mariupol was raised, a diplomat said.\",2022-04-02,Anadolu\n",
    );
    env.write(
        "notes.txt",
        "Shelling was reported near Kherson in an undated note.\n",
    );
}
