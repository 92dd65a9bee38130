//! The controls every widget shares: the start and Cancel buttons, number
//! fields that report the reader's raw text, and the parsing that clamps it
//! into range or refuses it with a reason.

use std::rc::Rc;

use yew::prelude::*;

/// The start and Cancel buttons, in that order: the first button starts the widget.
pub fn buttons(
    label: &str,
    running: bool,
    start: Callback<MouseEvent>,
    cancel: Callback<MouseEvent>,
) -> Html {
    html! {
        <>
            <button type="button" onclick={start} disabled={running}>
                { if running { "Running…" } else { label } }
            </button>
            <button type="button" class="secondary" onclick={cancel} disabled={!running}>{ "Cancel" }</button>
        </>
    }
}

/// A number input's label, range and text.
#[derive(Properties, PartialEq)]
pub struct NumberFieldProps {
    /// Unique on the page: ties the label to the input.
    pub id: AttrValue,
    /// What the number is; the range is added to it.
    pub label: AttrValue,
    /// The text in the box, as the reader typed it.
    pub value: AttrValue,
    /// The smallest value accepted.
    pub min: u64,
    /// The largest value accepted.
    pub max: u64,
    /// Gets the new text on every keystroke.
    pub oninput: Callback<String>,
}

/// A labelled number input that reports its raw text; [`parse_clamped`] judges it on start.
#[function_component(NumberField)]
pub fn number_field(props: &NumberFieldProps) -> Html {
    let oninput = props.oninput.reform(|event: InputEvent| {
        event
            .target_dyn_into::<web_sys::HtmlInputElement>()
            .map(|input| input.value())
            .unwrap_or_default()
    });
    // One span: the label wraps to a new line with its input, not apart from it.
    html! {
        <span class="field">
            <label for={props.id.clone()}>{ format!("{} ({} to {})", props.label, props.min, props.max) }</label>
            <input id={props.id.clone()} type="number" min={props.min.to_string()} max={props.max.to_string()}
                   value={props.value.clone()} {oninput} />
        </span>
    }
}

/// The reader's number, clamped into `min..=max`, and a note when it was
/// changed; text that is not a whole number is refused with a reason.
pub fn parse_clamped(
    text: &str,
    what: &str,
    min: u64,
    max: u64,
) -> Result<(u64, Option<String>), String> {
    let value: u64 = text.trim().parse().map_err(|_| {
        if text.trim().is_empty() {
            // Also what a number field reports for text it cannot read ("1e",
            // "-"): the browser hides that text and gives an empty value.
            format!("{what}: type a whole number from {min} to {max}.")
        } else {
            format!(
                "{what}: “{}” is not a whole number from {min} to {max}.",
                text.trim()
            )
        }
    })?;
    let clamped = value.clamp(min, max);
    let note = (clamped != value).then(|| {
        format!("{what} {value} is out of range; used {clamped} (allowed: {min} to {max}).")
    });
    Ok((clamped, note))
}

/// A number the reader sets before a run, with its range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// Unique on the page: ties the label to the input.
    pub id: &'static str,
    pub label: &'static str,
    pub min: u64,
    pub max: u64,
    pub initial: u64,
}

/// The texts of `fields` as first shown: their initial values.
pub fn initial_texts(fields: &[Field]) -> Vec<String> {
    fields
        .iter()
        .map(|field| field.initial.to_string())
        .collect()
}

/// The reader's numbers for `fields`, each clamped into its range, with a
/// note for each one changed; the first text that is not a number refuses
/// them all, with the reason.
pub fn parse_fields(fields: &[Field], texts: &[String]) -> Result<(Vec<u64>, Vec<String>), String> {
    let mut values = Vec::new();
    let mut notes = Vec::new();
    for (field, text) in fields.iter().zip(texts) {
        let (value, note) = parse_clamped(text, field.label, field.min, field.max)?;
        values.push(value);
        notes.extend(note);
    }
    Ok((values, notes))
}

/// The notes [`parse_fields`] returned (a number clamped into its range),
/// one paragraph each.
pub fn field_notes(notes: &[String]) -> Html {
    html! { { for notes.iter().map(|note| html! { <p class="note">{ note.clone() }</p> }) } }
}

#[derive(Properties, PartialEq)]
pub struct FieldSetProps {
    pub fields: Vec<Field>,
    /// What the reader has typed, one text per field.
    pub texts: UseStateHandle<Vec<String>>,
}

/// The number inputs of `fields`, keeping what the reader types in `texts`.
#[function_component(FieldSet)]
pub fn field_set(props: &FieldSetProps) -> Html {
    html! {
        { for props.fields.iter().enumerate().map(|(index, field)| {
            let texts = props.texts.clone();
            let oninput = Callback::from(move |value: String| {
                let mut next = (*texts).clone();
                if let Some(slot) = next.get_mut(index) {
                    *slot = value;
                }
                texts.set(next);
            });
            let value = props.texts.get(index).cloned().unwrap_or_default();
            html! {
                <NumberField id={field.id} label={field.label} {value}
                             min={field.min} max={field.max} {oninput} />
            }
        }) }
    }
}

/// A widget's number fields: what the reader typed, and the notes of the
/// last reading. Kept across renders by [`use_form`].
#[derive(Clone)]
pub struct Form {
    fields: Rc<[Field]>,
    texts: UseStateHandle<Vec<String>>,
    notes: UseStateHandle<Vec<String>>,
}

/// The [`Form`] of `fields`, showing their initial values.
#[hook]
pub fn use_form(fields: &[Field]) -> Form {
    let fields: Rc<[Field]> = (*use_memo((), |()| Rc::<[Field]>::from(fields))).clone();
    let texts = {
        let fields = Rc::clone(&fields);
        use_state(move || initial_texts(&fields))
    };
    Form {
        fields,
        texts,
        notes: use_state(Vec::new),
    }
}

impl Form {
    /// The reader's numbers, each clamped into its range (a note says so), or
    /// why they are refused: what a widget reads as its run starts.
    pub fn read(&self) -> Result<Vec<u64>, String> {
        let (values, notes) = parse_fields(&self.fields, &self.texts)?;
        self.notes.set(notes);
        Ok(values)
    }

    /// The number inputs.
    pub fn inputs(&self) -> Html {
        html! { <FieldSet fields={self.fields.to_vec()} texts={self.texts.clone()} /> }
    }

    /// The notes of the last reading: which numbers were clamped.
    pub fn notes(&self) -> Html {
        field_notes(&self.notes)
    }
}
