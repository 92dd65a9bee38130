//! The self-check at the end of each section: the section's questions, the
//! reader's remembered answers, and an explanation for every choice.

use std::rc::Rc;

use yew::platform::spawn_local;
use yew::prelude::*;

use super::reader_state::{use_progress, use_progress_dispatch, ProgressAction};
use crate::content::book;
use crate::content::questions::{self, Question};
use crate::content::site::questions_path;
use crate::prerendered::PAGES;
use book_runtime::fetch;

#[derive(Properties, PartialEq)]
pub struct SelfCheckProps {
    /// The page's position in the book.
    pub number: usize,
}

/// The questions of one page, fetched with it; nothing on the front page.
#[function_component(SelfCheck)]
pub fn self_check(props: &SelfCheckProps) -> Html {
    let page = &book().pages()[props.number];
    let loaded = use_state(|| None::<Result<Rc<Vec<Question>>, String>>);
    {
        let loaded = loaded.clone();
        use_effect_with(props.number, move |number| {
            loaded.set(None);
            let slug = book().pages()[*number].slug;
            if !PAGES[*number].questions.is_empty() {
                spawn_local(async move {
                    let parsed = fetch::text(&questions_path(slug))
                        .await
                        .and_then(|json| questions::parse(&json))
                        .map(|set| Rc::new(set.questions));
                    loaded.set(Some(parsed));
                });
            }
        });
    }
    let progress = use_progress();
    let questions = match &*loaded {
        _ if PAGES[props.number].questions.is_empty() => return Html::default(),
        None => {
            return html! { <p class="self-check-score">{ "Loading this section's questions…" }</p> }
        }
        Some(Err(why)) => {
            return html! { <p class="self-check-score">{ format!("This section's questions could not be loaded: {why}.") }</p> }
        }
        Some(Ok(questions)) => Rc::clone(questions),
    };
    let answered = progress.as_ref().map_or(0, |p| p.0.answered(page.slug));
    html! {
        <section class="self-check" aria-labelledby="self-check-title">
            <h3 id="self-check-title">{ "✅ Check yourself" }</h3>
            <p class="self-check-score">
                { format!("{answered} of {} answered. Your answers are kept in this browser.", questions.len()) }
            </p>
            { for questions.iter().enumerate().map(|(n, question)| {
                let chosen = progress.as_ref().and_then(|p| p.0.answer_of(page.slug, &question.id));
                html! { <QuestionView slug={page.slug} number={n + 1} question={question.clone()} {chosen} /> }
            }) }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct QuestionProps {
    slug: &'static str,
    number: usize,
    question: Question,
    /// The reader's earlier answer.
    chosen: Option<usize>,
}

#[function_component(QuestionView)]
fn question_view(props: &QuestionProps) -> Html {
    let progress = use_progress_dispatch();
    let question = &props.question;
    let name = format!("q-{}-{}", props.slug, question.id);
    html! {
        <fieldset class="question" data-question={question.id.clone()}>
            <legend>{ format!("{}. ", props.number) }{ inline_code(&question.prompt) }</legend>
            if let Some(widget) = &question.widget {
                <p class="question-widget">
                    { "A prediction: answer first, then run the widget above " }
                    <code>{ widget.clone() }</code>{ " and see what your machine says." }
                </p>
            }
            <ul class="choices">
                { for question.choices.iter().enumerate().map(|(index, choice)| {
                    let id = format!("{name}-{index}");
                    let selected = props.chosen == Some(index);
                    let onchange = {
                        let progress = progress.clone();
                        let (slug, question) = (props.slug.to_owned(), question.id.clone());
                        Callback::from(move |_| {
                            if let Some(progress) = &progress {
                                progress.dispatch(ProgressAction::Answer { slug: slug.clone(), question: question.clone(), choice: index });
                            }
                        })
                    };
                    let verdict = props.chosen.map(|_| if choice.correct { "right" } else { "wrong" });
                    html! {
                        <li class={classes!("choice", verdict.map(|v| format!("choice-{v}")), selected.then_some("chosen"))}>
                            <input type="radio" id={id.clone()} name={name.clone()} checked={selected} {onchange} />
                            <label for={id}>{ inline_code(&choice.text) }</label>
                            if props.chosen.is_some() {
                                <p class="why">
                                    <strong>{ match (choice.correct, selected) {
                                        (true, true) => "Right. ",
                                        (true, false) => "The answer. ",
                                        (false, true) => "Not quite. ",
                                        (false, false) => "",
                                    } }</strong>
                                    { inline_code(&choice.why) }
                                </p>
                            }
                        </li>
                    }
                }) }
            </ul>
        </fieldset>
    }
}

/// Text with `backticks` shown as code, as the question files write it.
fn inline_code(text: &str) -> Html {
    html! {
        { for text.split('`').enumerate().map(|(i, part)| if i % 2 == 1 {
            html! { <code>{ part.to_owned() }</code> }
        } else {
            html! { { part.to_owned() } }
        }) }
    }
}
