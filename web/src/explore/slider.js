// The date slider: the graph is drawn as of the date it shows. It stops only where the view can
// change, the dates of the articles that name the centre and the expanded entities (model.js
// timeline), which come with the neighbourhoods drawn, so it costs no request of its own; its
// first stop is the day before the first of them and its last is "latest".
import { state } from './state.js';
import { timeline } from './model.js';

const $ = (sel) => document.querySelector(sel);
const slider = $('#asof');

// The dates of the stops, '' (latest) last.
let stops = [];

function showDate() {
  const asOf = state.view.asOf;
  $('#asof-label').textContent = asOf || 'latest';
  $('#asof-latest').hidden = !asOf;
  slider.setAttribute('aria-valuetext', asOf || 'latest');
}

/** syncSlider puts the slider's stops and position in step with the state. */
export function syncSlider() {
  stops = timeline([...state.dates], state.view.asOf);
  slider.max = String(Math.max(0, stops.length - 1));
  slider.disabled = stops.length < 2;
  const i = stops.indexOf(state.view.asOf);
  slider.value = String(i < 0 ? stops.length - 1 : i);
  showDate();
}

/** attachSlider makes the slider set the date; onChange redraws, once the slider rests. */
export function attachSlider(onChange) {
  let timer = 0;
  slider.addEventListener('input', () => {
    state.view.asOf = stops[Number(slider.value)] ?? '';
    showDate();
    clearTimeout(timer);
    timer = setTimeout(onChange, 200);
  });
  $('#asof-latest').addEventListener('click', () => {
    state.view.asOf = '';
    syncSlider();
    onChange();
  });
}
