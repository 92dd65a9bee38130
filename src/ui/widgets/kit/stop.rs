//! Cancel for a run on the page's event loop: a flag the run checks between
//! its steps, raised by the Cancel button or by the widget going away.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use yew::prelude::*;

/// The Cancel flag of a widget's run on the event loop. Each run takes a
/// fresh flag from [`Stop::arm`] and checks it between its steps; the Cancel
/// button raises the flag of the latest run.
#[derive(Clone)]
pub struct Stop(Rc<RefCell<Rc<Cell<bool>>>>);

impl Stop {
    /// A fresh flag for a run that is starting.
    pub fn arm(&self) -> Rc<Cell<bool>> {
        let flag = Rc::new(Cell::new(false));
        *self.0.borrow_mut() = Rc::clone(&flag);
        flag
    }

    /// The Cancel button's callback: stops the latest run.
    pub fn cancel(&self) -> Callback<MouseEvent> {
        let current = Rc::clone(&self.0);
        Callback::from(move |_| current.borrow().set(true))
    }
}

/// A widget's [`Stop`], kept across renders. A widget that goes away (the
/// reader left the page) stops its run: it would go on loading the main
/// thread, and holding the pool, for a page no longer shown.
#[hook]
pub fn use_stop() -> Stop {
    let stop = Stop(use_mut_ref(|| Rc::new(Cell::new(false))));
    {
        let current = Rc::clone(&stop.0);
        use_effect_with((), move |()| move || current.borrow().set(true));
    }
    stop
}
