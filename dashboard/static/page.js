// Quantum Gas Explorer: what the page adds to Panel's widgets in the browser (loaded once per
// page by dashboard.page.PageBehaviour, served inline: no request leaves the server).
//  - presentation mode: the class qge-presentation on <body> (dashboard.css scales the text)
//    follows the model; the page is served with the class already set when it opens in
//    presentation mode (dashboard.page.ClassroomTemplate), as this module runs only after the
//    widgets are drawn;
//  - tabs operable from the keyboard (Enter, Space, arrows, Home, End), with ARIA roles, first
//    in focus order (before the panel they show) and one tab stop for the list;
//  - sliders named (aria-label) and reporting their physical value (aria-valuetext), not the
//    position of the handle on a grid, also after new options replace the slider;
//  - plots named after their titles for assistive technology;
//  - the sidebar closed at first on narrow screens (phones).

const NARROW = 768

function shadowRoots() {
  const roots = [document]
  const visit = (root) => {
    for (const element of root.querySelectorAll("*")) {
      if (element.shadowRoot) {
        roots.push(element.shadowRoot)
        visit(element.shadowRoot)
      }
    }
  }
  visit(document)
  return roots
}

// "Lattice depth U [E_R] (log scale): 10" -> ["Lattice depth U", "Lattice depth U = 10 E_R"]
function describe(text) {
  const colon = text.lastIndexOf(":")
  if (colon < 0) {
    return [text.trim(), ""]
  }
  let name = text.slice(0, colon).trim()
  const value = text.slice(colon + 1).trim()
  let unit = ""
  const bracket = name.match(/\s*\[([^\]]+)\]/)
  if (bracket) {
    unit = " " + bracket[1]
    name = name.replace(bracket[0], "")
  }
  name = name.replace(/\s*\([^)]*\)\s*$/, "").trim()
  return [name, value ? `${name} = ${value}${unit}` : ""]
}

function sliderLabel(handle) {
  const root = handle.getRootNode()
  const title = root.querySelector(".bk-slider-title")
  let text = title ? title.textContent.trim() : ""
  if (!text && root.host) {
    // a DiscreteSlider: its label is the component before the slider (new options replace
    // the slider, which Bokeh then appends after the column's own <style> and <link>s)
    let label = root.host.previousElementSibling
    while (label && !label.shadowRoot) {
      label = label.previousElementSibling
    }
    const parts = label ? Array.from(label.shadowRoot.children) : []
    text = parts
      .filter((part) => part.tagName !== "STYLE" && part.tagName !== "LINK")
      .map((part) => part.textContent)
      .join(" ")
      .trim()
  }
  return text.replace(/\s+/g, " ")
}

function nameSliders(root) {
  for (const handle of root.querySelectorAll(".noUi-handle")) {
    const [name, valueText] = describe(sliderLabel(handle))
    if (name && handle.getAttribute("aria-label") !== name) {
      handle.setAttribute("aria-label", name)
    }
    if (valueText && handle.getAttribute("aria-valuetext") !== valueText) {
      handle.setAttribute("aria-valuetext", valueText)
    }
    const target = handle.closest(".noUi-target")
    if (target && target.noUiSlider && !target.qgeWatched) {
      target.qgeWatched = true
      // noUiSlider writes the handle position into aria-valuetext on every move
      target.noUiSlider.on("update.qge", () => schedule(false))
    }
  }
}

// the handles found by the last full scan: a move renames these alone
let knownHandles = []
function renameKnownSliders() {
  for (const handle of knownHandles) {
    if (!handle.isConnected) {
      continue
    }
    const [, valueText] = describe(sliderLabel(handle))
    if (valueText && handle.getAttribute("aria-valuetext") !== valueText) {
      handle.setAttribute("aria-valuetext", valueText)
    }
  }
}

// a checkbox is drawn beside its text without a <label>: name it after that text
function nameInputs(root) {
  for (const input of root.querySelectorAll("input, select, textarea")) {
    if (input.getAttribute("aria-label") || input.closest("label")) {
      continue
    }
    if (input.id && root.querySelector(`label[for="${input.id}"]`)) {
      continue
    }
    const text = Array.from(input.parentNode.children)
      .filter((sibling) => sibling !== input && !["STYLE", "LINK"].includes(sibling.tagName))
      .map((sibling) => sibling.textContent)
      .join(" ")
      .trim()
    if (text) {
      input.setAttribute("aria-label", text.replace(/\s+/g, " "))
    }
  }
}

// Bokeh appends a tab list's header after the panels (a CSS grid draws it on top): moved
// before them, the tabs come first in focus order, as they do on the screen
function putHeaderFirst(root, list) {
  let header = list
  while (header.parentNode !== root) {
    header = header.parentNode
  }
  const drawn = (child) => !["STYLE", "LINK"].includes(child.tagName)
  const first = Array.from(root.children).find(drawn)
  if (first !== header) {
    root.insertBefore(header, first)
  }
}

// one tab stop for the whole list (roving tabindex): the selected tab, the arrows move on
function markTabList(list) {
  list.setAttribute("role", "tablist")
  const tabs = Array.from(list.querySelectorAll(":scope > .bk-tab"))
  const selected = Math.max(0, tabs.findIndex((tab) => tab.classList.contains("bk-active")))
  tabs.forEach((tab, index) => {
    tab.setAttribute("role", "tab")
    tab.setAttribute("aria-selected", String(tab.classList.contains("bk-active")))
    tab.tabIndex = index === selected ? 0 : -1
  })
}

function markTabs(root) {
  const lists = new Set(Array.from(root.querySelectorAll(".bk-tab"), (tab) => tab.parentElement))
  for (const list of lists) {
    markTabList(list)
    putHeaderFirst(root, list)
  }
}

function namePlots() {
  const seen = new Set()
  const visit = (view) => {
    if (!view || seen.has(view)) {
      return
    }
    seen.add(view)
    const canvas = view.canvas_view
    if (canvas && canvas.events_el && view.model.title) {
      const title = view.model.title.text || "plot"
      canvas.events_el.setAttribute("role", "img")
      canvas.events_el.setAttribute("aria-label", `Plot: ${title}`)
    }
    for (const child of view.child_views ?? []) {
      visit(child)
    }
  }
  try {
    const index = Bokeh.index
    for (const view of index.roots ? Array.from(index.roots) : Object.values(index)) {
      visit(view)
    }
  } catch (error) {
    // naming plots is a courtesy: never break the page for it
  }
}

// A full scan walks every element of every shadow root (~10^4 on a built page, tens of ms):
// only after changes of the page's structure (a tab built, figures replaced, a click). Slider
// moves and new data only rename the known sliders and plots: scanning on every change made
// each slider move ~2x slower in the latency benchmark.
let pending = null
function scan() {
  const full = pending === "full"
  pending = null
  if (full) {
    knownHandles = []
    for (const root of shadowRoots()) {
      nameSliders(root)
      nameInputs(root)
      markTabs(root)
      knownHandles.push(...root.querySelectorAll(".noUi-handle"))
    }
  } else {
    renameKnownSliders()
  }
  namePlots()
}
function schedule(full = true) {
  if (pending === null) {
    setTimeout(scan, 120)
  }
  if (full || pending === null) {
    pending = full ? "full" : pending ?? "light"
  }
}

// document changes that can add or replace elements (not data, values or texts)
const STRUCTURAL = new Set(["children", "objects", "tabs", "active", "visible", "css_classes"])
function changed(event) {
  // no attribute: a root added or removed (structure), or a message or column patch (not)
  const structural =
    event.attr === undefined
      ? "model" in event && !("msg_type" in event) && !("patches" in event)
      : STRUCTURAL.has(event.attr)
  schedule(structural)
}

function tabKeys(event) {
  const tab = event.composedPath()[0]
  if (!(tab instanceof HTMLElement) || !tab.classList.contains("bk-tab")) {
    return
  }
  const tabs = Array.from(tab.parentElement.querySelectorAll(":scope > .bk-tab"))
  const index = tabs.indexOf(tab)
  const moves = {
    Enter: index,
    " ": index,
    ArrowRight: (index + 1) % tabs.length,
    ArrowDown: (index + 1) % tabs.length,
    ArrowLeft: (index - 1 + tabs.length) % tabs.length,
    ArrowUp: (index - 1 + tabs.length) % tabs.length,
    Home: 0,
    End: tabs.length - 1,
  }
  if (!(event.key in moves)) {
    return
  }
  event.preventDefault()
  const target = moves[event.key]
  const list = tab.parentElement
  tabs[target].click()
  requestAnimationFrame(() => {
    markTabList(list)
    const now = list.querySelectorAll(":scope > .bk-tab")[target]
    if (now) {
      now.focus()
    }
    schedule()
  })
}

function closeSidebarOnNarrowScreens() {
  if (window.innerWidth >= NARROW) {
    return
  }
  const sidebar = document.getElementById("sidebar")
  const toggle = document.getElementById("sidebar-toggle")
  if (sidebar && sidebar.classList.contains("show")) {
    sidebar.classList.remove("show")
    if (toggle) {
      toggle.setAttribute("aria-expanded", "false")
    }
  }
}

export function render({ model }) {
  const presentation = () =>
    document.body.classList.toggle("qge-presentation", model.presentation)
  presentation()
  model.on("presentation", presentation)
  if (window.qgePageBehaviour) {
    return
  }
  window.qgePageBehaviour = true
  closeSidebarOnNarrowScreens()
  document.addEventListener("keydown", tabKeys, true)
  document.addEventListener("click", () => schedule(), true)
  for (const document_ of Bokeh.documents) {
    document_.on_change(changed)
  }
  schedule()
}
