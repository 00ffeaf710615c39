//! The integration tests: the real daemon against real loopback servers and
//! a real sled database in a temporary directory, plus the config loader and
//! the command line.

mod admin;
mod backtest_cli;
mod boilerplate;
mod cli;
mod config_errors;
mod daemon;
mod delivery;
mod events;
mod extract_golden;
mod extract_limits;
mod feeds;
mod groups;
mod parse_cli;
mod retention;
mod sinks;
mod ssrf;
mod support;
mod web;
