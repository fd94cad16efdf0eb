//! The scenario in and out of the page: the link (URL fragment), the file
//! (import and export, the engine's own JSON format), the examples shipped
//! with the app.

pub mod base64url;
pub mod embed;
pub mod file;
pub mod link;
pub mod presets;
