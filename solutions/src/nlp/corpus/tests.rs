use super::*;

fn write(bytes: &[u8]) -> (tempdir::Dir, PathBuf) {
    let dir = tempdir::Dir::new();
    let path = dir.0.join("corpus.txt");
    std::fs::write(&path, bytes).unwrap();
    (dir, path)
}

/// A throw-away directory, removed on drop (no extra crate for one test module).
mod tempdir {
    pub struct Dir(pub std::path::PathBuf);
    impl Dir {
        pub fn new() -> Dir {
            use std::sync::atomic::{AtomicUsize, Ordering};
            static N: AtomicUsize = AtomicUsize::new(0);
            let n = N.fetch_add(1, Ordering::Relaxed);
            let dir =
                std::env::temp_dir().join(format!("course-corpus-{}-{n}", std::process::id()));
            std::fs::create_dir_all(&dir).unwrap();
            Dir(dir)
        }
    }
    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

#[test]
fn the_embedded_corpus_has_both_languages() {
    let text = embedded();
    assert!(ENGLISH.len() > 10_000 && CHINESE.len() > 10_000, "corpus files too small");
    let cjk = text.chars().filter(|&c| is_cjk(c)).count();
    assert!(cjk > 3_000, "only {cjk} CJK characters");
    assert_eq!(Source::Embedded.read().unwrap(), text);
}

#[test]
fn a_good_file_is_read() {
    let (_dir, path) = write("hello 世界\n".as_bytes());
    assert_eq!(Source::File(path).read().unwrap(), "hello 世界\n");
}

#[test]
fn each_bad_file_gets_one_line_naming_it() {
    let (dir, _) = write(b"x");
    let cases: Vec<(Result<String, CorpusError>, &str)> = vec![
        (load(&dir.0.join("nope.txt")), "no such file"),
        (load(&dir.0), "is a directory"),
        (load(&write(b"").1), "is empty"),
        (load(&write(b" \n\t\n").1), "is empty"),
        (load(&write(b"\x7fELF\x02\x01\x00\x00").1), "NUL byte at offset 6"),
        (load(&write(b"caf\xe9 au lait").1), "bad byte at offset 3"),
    ];
    for (result, expected) in cases {
        let message = result.expect_err(expected).to_string();
        assert!(message.contains(expected), "{message}");
        assert!(message.starts_with("corpus file "), "{message}");
        assert!(!message.contains('\n'), "not one line: {message}");
    }
}
