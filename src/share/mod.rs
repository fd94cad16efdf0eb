//! The scenario in and out of the page: the link (URL fragment), the file
//! (import and export, the engine's own JSON format), the examples shipped
//! with the app, the view flags of a link and the messages to an embedding
//! page.

pub mod base64url;
pub mod compare_link;
pub mod embed;
pub mod export;
pub mod file;
pub mod flags;
pub mod key_inputs;
pub mod link;
pub mod presets;
pub mod snippet;
