//! Drawing a kernel's RGBA image into a `<canvas>`.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::event_loop::yield_turn;
use book_compute::kernel::Image;

#[derive(Properties, PartialEq)]
pub struct ImageViewProps {
    pub image: Rc<Image>,
    /// Text alternative for the picture.
    pub label: AttrValue,
}

/// A canvas showing `image`, scaled by CSS to the column's width.
#[function_component(ImageView)]
pub fn image_view(props: &ImageViewProps) -> Html {
    let canvas = use_node_ref();
    {
        let canvas = canvas.clone();
        use_effect_with(props.image.clone(), move |image| {
            // In a turn of its own: the report that shows the image has just
            // taken one, and copying the pixels adds to it.
            let image = image.clone();
            spawn_local(async move {
                yield_turn().await;
                if let Some(canvas) = canvas.cast::<web_sys::HtmlCanvasElement>() {
                    draw(&canvas, &image);
                }
            });
        });
    }
    html! {
        <canvas ref={canvas} class="kernel-image" width={props.image.width.to_string()}
                height={props.image.height.to_string()} role="img" aria-label={props.label.clone()} />
    }
}

/// The pixels live in shared WebAssembly memory, which `ImageData` refuses, so
/// they are copied into a fresh (unshared) array first.
fn draw(canvas: &web_sys::HtmlCanvasElement, image: &Image) {
    let Some(context) = canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into::<web_sys::CanvasRenderingContext2d>().ok())
    else {
        return;
    };
    let pixels = js_sys::Uint8ClampedArray::new_with_length(image.rgba.len() as u32);
    pixels.copy_from(&image.rgba);
    if let Ok(data) = web_sys::ImageData::new_with_js_u8_clamped_array_and_sh(
        &pixels,
        image.width as u32,
        image.height as u32,
    ) {
        let _ = context.put_image_data(&data, 0, 0);
    }
}
