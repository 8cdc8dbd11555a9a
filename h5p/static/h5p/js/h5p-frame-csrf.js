/* Loaded by the H5P player inside its frame (option customJs): H5P core saves the learner's state
   with its own jQuery POSTs, which Django refuses without the CSRF token the page was given. */
(function () {
  'use strict';
  var host = window.parent && window.parent.lmsH5P;
  var token = host && host.csrfToken;
  if (!token || !window.H5P || !window.H5P.jQuery) { return; }
  window.H5P.jQuery.ajaxSetup({
    beforeSend: function (xhr, settings) {
      if (!/^(GET|HEAD|OPTIONS)$/i.test(settings.type)) { xhr.setRequestHeader('X-CSRFToken', token); }
    }
  });
})();
