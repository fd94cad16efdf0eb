//! The QR code of a link, drawn as one SVG path (`classroom::qr`), or the
//! message that says why there is none.

use leptos::prelude::*;

use crate::classroom::qr::qr;

#[component]
pub fn QrCode(#[prop(into)] text: String, #[prop(into)] id: String) -> impl IntoView {
    match qr(&text) {
        Ok(shape) => {
            let size = shape.size;
            let view_box = format!("0 0 {size} {size}");
            let class = if shape.dense() {
                "qr-code qr-dense"
            } else {
                "qr-code"
            };
            view! {
                <figure class=class id=id>
                    <svg
                        viewBox=view_box
                        role="img"
                        aria-label="QR code of the exercise link"
                        shape-rendering="crispEdges"
                    >
                        <rect class="qr-light" x="0" y="0" width=size height=size />
                        <path class="qr-dark" d=shape.path />
                    </svg>
                    <figcaption>"Scan to open the exercise"</figcaption>
                </figure>
            }
            .into_any()
        }
        Err(message) => view! { <p class="qr-missing" id=id role="note">{message}</p> }.into_any(),
    }
}
