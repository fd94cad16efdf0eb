//! The code the Embed dialog hands out: an `<iframe>` of a compact view's
//! link and, for hosts that allow scripts, a few lines that size it from
//! the page's `funnel-sim:height` messages (`share::embed`). Written here,
//! MIT, and no resizer library: the common one moved to the GPL.
//!
//! The iframe carries no `sandbox` unless asked: it is on another origin
//! than the host's already, so it cannot reach into the host page, and a
//! sandboxed one (an opaque origin) loads the app only where its server
//! sends CORS headers (GitHub Pages does; not every server). With the
//! option, `sandbox="allow-scripts allow-popups
//! allow-popups-to-escape-sandbox"`: scripts to run at all, popups for
//! "Open the full model" (a new tab), which opens as an ordinary page.

use crate::form::Run;
use crate::share::flags::Flags;
use crate::share::link;

/// What the dialog's choices make.
#[derive(Clone, Debug, PartialEq)]
pub struct Embed {
    pub flags: Flags,
    /// The iframe's height (CSS pixels) until its first height message, or
    /// for good where the host allows no script.
    pub height: u32,
    pub sandbox: bool,
}

/// Fallback heights the dialog allows: enough for a sentence, not a wall.
pub const MIN_HEIGHT: u32 = 200;
pub const MAX_HEIGHT: u32 = 4000;

/// The sandbox an embed gets with the option (see the module's note).
pub const SANDBOX: &str = "allow-scripts allow-popups allow-popups-to-escape-sandbox";

/// The link an embed opens: the app's address (any fragment dropped), the
/// run and the view flags.
pub fn embed_link(address: &str, run: &Run, flags: &Flags) -> String {
    let page = address.split('#').next().unwrap_or_default();
    format!("{page}{}{}", link::encode(run), flags.to_fragment())
}

/// The `<iframe>`: titled by the scenario, lazily loaded, as wide as its
/// column, with the fallback height.
pub fn iframe_code(src: &str, scenario_name: &str, embed: &Embed) -> String {
    let title = match scenario_name.trim() {
        "" => "Sales funnel forecast".to_owned(),
        name => format!("Sales funnel forecast: {name}"),
    };
    let sandbox = if embed.sandbox {
        format!(" sandbox=\"{SANDBOX}\"")
    } else {
        String::new()
    };
    format!(
        "<iframe id=\"{id}\" src=\"{src}\" title=\"{title}\" width=\"100%\" height=\"{height}\" loading=\"lazy\"{sandbox} style=\"border:0;max-width:100%\"></iframe>",
        id = frame_id(src),
        src = attribute(src),
        title = attribute(&title),
        height = embed.height.clamp(MIN_HEIGHT, MAX_HEIGHT),
    )
}

/// The sizing script for the iframe `iframe_code` writes for `src`: it
/// listens for `funnel-sim:height` from that iframe's window only, and
/// takes a height only when it is a sensible number.
pub fn script_code(src: &str) -> String {
    format!(
        r#"<script>
/* Sizes the funnel forecast's iframe to its content. MIT License. */
(function () {{
  var frame = document.getElementById("{id}");
  window.addEventListener("message", function (e) {{
    if (!frame || e.source !== frame.contentWindow || !e.data || e.data.type !== "funnel-sim:height") return;
    var h = Number(e.data.height);
    if (h > 0 && h < 20000) frame.style.height = Math.ceil(h) + "px";
  }});
}})();
</script>"#,
        id = frame_id(src)
    )
}

/// An id for the iframe from its link, so that two embeds on one page
/// (two views, two scenarios) each get their own script.
pub fn frame_id(src: &str) -> String {
    // FNV-1a: a short, stable name, not a security measure.
    let mut h: u32 = 0x811c_9dc5;
    for b in src.bytes() {
        h = (h ^ u32::from(b)).wrapping_mul(0x0100_0193);
    }
    format!("funnel-sim-{h:08x}")
}

/// Text for a double-quoted HTML attribute.
fn attribute(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::share::flags::{self, Theme, View};

    fn run() -> Run {
        let p = crate::share::presets::default_preset();
        Run {
            scenario: p.scenario(),
            trials: 5_000,
            seed: 3,
        }
    }

    fn embed() -> Embed {
        Embed {
            flags: Flags {
                view: View::Histogram,
                edit: vec!["leads.per_month".into(), "stages[1].conversion".into()],
                theme: Theme::Dark,
            },
            height: 520,
            sandbox: false,
        }
    }

    #[test]
    fn the_link_opens_the_run_in_the_chosen_view() {
        let e = embed();
        let src = embed_link("https://example.org/funnel/#v=1&old=1", &run(), &e.flags);
        assert!(src.starts_with("https://example.org/funnel/#v=1&seed=3&trials=5000&s="));
        let fragment = &src[src.find('#').unwrap()..];
        assert_eq!(link::decode(fragment).unwrap().unwrap(), run());
        assert_eq!(flags::read(fragment), (e.flags, vec![]));
    }

    #[test]
    fn the_iframe_code() {
        let e = embed();
        let src = embed_link("https://example.org/", &run(), &e.flags);
        let code = iframe_code(&src, "Q3 <plan> & \"more\"", &e);
        assert!(code.starts_with("<iframe id=\"funnel-sim-"), "{code}");
        for part in [
            "title=\"Sales funnel forecast: Q3 &lt;plan&gt; &amp; &quot;more&quot;\"",
            "width=\"100%\"",
            "height=\"520\"",
            "loading=\"lazy\"",
            "&amp;view=histogram&amp;edit=leads.per_month,stages[1].conversion&amp;theme=dark\"",
        ] {
            assert!(code.contains(part), "{part} in {code}");
        }
        assert!(!code.contains("sandbox"));
        assert!(code.ends_with("></iframe>"));
        let sandboxed = iframe_code(
            &src,
            "",
            &Embed {
                sandbox: true,
                height: 1,
                ..e
            },
        );
        assert!(sandboxed.contains(&format!("sandbox=\"{SANDBOX}\"")));
        assert!(sandboxed.contains("title=\"Sales funnel forecast\""));
        assert!(sandboxed.contains(&format!("height=\"{MIN_HEIGHT}\"")));
    }

    #[test]
    fn the_script_sizes_its_own_iframe_only() {
        let a = embed_link("https://example.org/", &run(), &embed().flags);
        let b = embed_link("https://example.org/", &run(), &Flags::default());
        let script = script_code(&a);
        assert!(script.contains(&format!("getElementById(\"{}\")", frame_id(&a))));
        assert!(iframe_code(&a, "", &embed()).contains(&format!("id=\"{}\"", frame_id(&a))));
        assert_ne!(frame_id(&a), frame_id(&b));
        assert!(script.contains("e.source !== frame.contentWindow"));
        assert!(script.contains("\"funnel-sim:height\""));
        assert!(script.contains("MIT"));
        assert!(script.lines().count() <= 12, "{script}");
    }
}
