//! The seed site: five real news articles (coverage of a 2019 KCNA
//! statement) served on loopback with an RSS feed and a webhook receiver
//! that checks signatures. `wirewatch demo` runs the daemon against it, and
//! the tests use it as a small real news web.

mod seeds;
mod site;

pub use seeds::{Seed, seeds};
pub use site::{Counters, SeedSite};
