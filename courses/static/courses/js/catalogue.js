// The catalogue's filters are folded on a phone (the courses come first); on a wider screen they fit
// in one row, so they are shown open.
const details = document.querySelector(".filter-details");
if (details && window.matchMedia("(min-width: 40rem)").matches) {
  details.open = true;
}
