// The smallest Web Worker the book can start: the memory widget (§11) starts a
// few of these, times their first answer and weighs them. It answers every
// message with the same message and does nothing else.
onmessage = (event) => postMessage(event.data);
