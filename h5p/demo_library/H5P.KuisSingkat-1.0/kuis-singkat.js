/* Kuis Singkat: a minimal H5P content type written for the LMS ASN Jambi tests and demo data.
 * It renders one multiple-choice question and reports through the H5P API: xAPI "answered" for the
 * question (a sub-content whose context names this activity as its parent) and "completed" with the
 * score for the whole activity. It also saves and restores its state (getCurrentState). */
var H5P = H5P || {};

H5P.KuisSingkat = (function (EventDispatcher) {
  'use strict';

  function KuisSingkat(params, contentId, extras) {
    EventDispatcher.call(this);
    this.params = params || {};
    this.contentId = contentId;
    var previous = (extras && extras.previousState) || {};
    this.selected = typeof previous.selected === 'number' ? previous.selected : null;
    this.answered = previous.answered === true;
  }

  KuisSingkat.prototype = Object.create(EventDispatcher.prototype);
  KuisSingkat.prototype.constructor = KuisSingkat;

  KuisSingkat.prototype.attach = function ($container) {
    var self = this;
    var params = this.params;
    var name = 'kuis-singkat-' + this.contentId;
    var form = document.createElement('form');
    form.className = 'kuis-singkat';
    var fieldset = document.createElement('fieldset');
    var legend = document.createElement('legend');
    legend.textContent = params.question || '';
    fieldset.appendChild(legend);
    (params.options || []).forEach(function (text, index) {
      var label = document.createElement('label');
      var input = document.createElement('input');
      input.type = 'radio';
      input.name = name;
      input.value = String(index);
      input.checked = self.selected === index;
      input.addEventListener('change', function () { self.selected = index; });
      label.appendChild(input);
      label.appendChild(document.createTextNode(text));
      fieldset.appendChild(label);
    });
    form.appendChild(fieldset);
    var button = document.createElement('button');
    button.type = 'submit';
    button.textContent = params.checkLabel || 'Check';
    form.appendChild(button);
    this.feedback = document.createElement('p');
    this.feedback.className = 'kuis-singkat-feedback';
    this.feedback.setAttribute('role', 'status');
    form.appendChild(this.feedback);
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      if (self.selected === null) {
        self.feedback.textContent = params.chooseFirst || 'Choose an answer first.';
        return;
      }
      self.check();
    });
    $container.get(0).appendChild(form);
    if (this.answered) { this.showFeedback(); }
    this.trigger('resize');
  };

  KuisSingkat.prototype.isCorrect = function () {
    return this.selected === this.params.correct;
  };

  KuisSingkat.prototype.showFeedback = function () {
    this.feedback.textContent = this.isCorrect() ? (this.params.correctText || 'Correct!') : (this.params.wrongText || 'Not quite.');
  };

  KuisSingkat.prototype.check = function () {
    var self = this;
    var correct = this.isCorrect();
    var score = correct ? 1 : 0;
    this.answered = true;
    // The question as a sub-content of this activity: its statement names this activity as parent.
    var question = {
      contentId: this.contentId,
      subContentId: 'soal-1',
      parent: this,
      getTitle: function () { return self.params.question || ''; }
    };
    var answered = this.createXAPIEventTemplate('answered');
    answered.setObject(question);
    answered.setContext(question);
    answered.setScoredResult(score, 1, this, true, correct);
    answered.data.statement.result.response = String(this.selected);
    this.trigger(answered);
    // The whole activity: done, with its score.
    this.triggerXAPIScored(score, 1, 'completed', true, correct);
    this.showFeedback();
    this.trigger('resize');
  };

  KuisSingkat.prototype.getScore = function () { return this.answered && this.isCorrect() ? 1 : 0; };
  KuisSingkat.prototype.getMaxScore = function () { return 1; };
  KuisSingkat.prototype.getAnswerGiven = function () { return this.answered; };
  KuisSingkat.prototype.getCurrentState = function () {
    return { selected: this.selected, answered: this.answered };
  };
  KuisSingkat.prototype.resetTask = function () {
    this.selected = null;
    this.answered = false;
  };

  return KuisSingkat;
})(H5P.EventDispatcher);
