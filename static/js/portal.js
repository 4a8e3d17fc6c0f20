// Progressive enhancement only: every page works without this file.
// NHS.UK frontend's components (header menu, error summary focus, skip link, checkboxes and
// radios with conditional parts) start here rather than in an inline script, which the
// Content-Security-Policy forbids. The class says the browser runs ES modules, as the NHS.UK
// page template's own inline script would.
import { initAll } from "../vendor/nhsuk-frontend/nhsuk-frontend.min.js";

document.body.classList.add("js-enabled", "nhsuk-frontend-supported");
initAll();
