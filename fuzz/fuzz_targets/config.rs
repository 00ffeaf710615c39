//! Any text as a configuration file (topic files it names are read from the
//! working directory, where there are none).
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(src) = std::str::from_utf8(data) else {
        return;
    };
    let _config = wirewatch::config::Config::from_source(Path::new("fuzz.toml"), src);
});
