//! What this browser offers the parallel widgets, in plain words.

use yew::prelude::*;

use book_content::directive::WidgetKind;

use super::kit::frame::WidgetFrame;
use book_runtime::environment::Environment;

/// Reports isolation, shared memory and the core count, and what they mean.
#[function_component(EnvironmentWidget)]
pub fn environment_widget() -> Html {
    let environment = use_state(Environment::detect);
    let recheck = {
        let environment = environment.clone();
        Callback::from(move |_| environment.set(Environment::detect()))
    };
    let result = serde_json::to_string(&*environment)
        .ok()
        .map(AttrValue::from);
    let yes_no = |flag: bool| if flag { "✅ yes" } else { "❌ no" };
    html! {
        <WidgetFrame kind={WidgetKind::Environment} {result}>
            <button type="button" onclick={recheck}>{ "Check again" }</button>
            <table class="environment">
                <tbody>
                    <tr><th scope="row">{ "Cross-origin isolated" }</th><td>{ yes_no(environment.isolated) }</td></tr>
                    <tr><th scope="row">{ "SharedArrayBuffer" }</th><td>{ yes_no(environment.shared_array_buffer) }</td></tr>
                    <tr>
                        <th scope="row">{ "navigator.hardwareConcurrency" }</th>
                        <td>{ environment.hardware_concurrency }</td>
                    </tr>
                    <tr><th scope="row">{ "WebAssembly SIMD (simd128)" }</th><td>{ yes_no(environment.wasm_simd) }</td></tr>
                    <tr><th scope="row">{ "WebGPU (navigator.gpu)" }</th><td>{ yes_no(environment.webgpu) }</td></tr>
                </tbody>
            </table>
            <p role="status">
                { match environment.obstacle() {
                    None => format!(
                        "Parallel widgets will run on a pool of {} Web Workers sharing one WebAssembly memory. \
                         Browsers may round or clamp the count (Safari reports 4 on machines with fewer than 8 \
                         logical processors and 8 otherwise; Firefox's fingerprinting protection reports 2), and with \
                         SMT two of them share one core, so the speedup curves are the real measure.",
                        environment.hardware_concurrency
                    ),
                    Some(obstacle) => format!(
                        "Parallel widgets will run on one thread, because {obstacle} The whole book still reads normally."
                    ),
                } }
            </p>
        </WidgetFrame>
    }
}
