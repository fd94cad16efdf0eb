//! The scenario in and out of the page: the link (URL fragment), the
//! examples shipped with the app. Files are read and written by `ui::toolbar`
//! through the engine's own JSON format.

pub mod base64url;
pub mod link;
pub mod presets;
