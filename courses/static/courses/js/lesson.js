// Lesson progress: reports time on the page and the parts of the video actually played.
// The server merges the played parts (union), so retried or duplicate reports change nothing,
// and it never credits more playing than the time that has passed allows.
const tracker = document.getElementById("lesson-tracker");

if (tracker) {
  const url = tracker.dataset.url;
  const csrf = tracker.dataset.csrf;
  const viewId = tracker.dataset.view;
  const resumeAt = parseFloat(tracker.dataset.resume) || 0;
  const video = document.querySelector("video.lesson-video");
  const status = document.getElementById("lesson-status");
  const videoPercent = document.getElementById("video-percent");
  const videoBar = document.querySelector("#video-progress .progress");
  let activeSeconds = 0;
  let completed = false;
  let playTimer = null;
  let leaving = false; // a form on the page (mark as done) is being sent: it records the visit itself
  let lastSent = { active: -5, played: "", position: -1 };

  // Active time: seconds while the page is visible.
  setInterval(() => {
    if (document.visibilityState === "visible") activeSeconds += 1;
  }, 1000);

  function playedRanges() {
    if (!video) return "";
    const parts = [];
    for (let i = 0; i < video.played.length; i += 1) {
      parts.push(`${video.played.start(i).toFixed(2)}-${video.played.end(i).toFixed(2)}`);
    }
    return parts.join(",");
  }

  function snapshot() {
    return {
      active: activeSeconds,
      played: playedRanges(),
      position: video ? Math.round(video.currentTime) : -1,
    };
  }

  // Something worth reporting: the video moved on, or five more seconds were spent on the page.
  function changed() {
    const now = snapshot();
    return now.played !== lastSent.played || now.position !== lastSent.position || now.active - lastSent.active >= 5;
  }

  function payload() {
    lastSent = snapshot();
    const data = new FormData();
    data.append("csrfmiddlewaretoken", csrf);
    data.append("view", viewId);
    data.append("active", String(activeSeconds));
    if (video) {
      if (Number.isFinite(video.duration)) data.append("duration", video.duration.toFixed(2));
      data.append("position", video.currentTime.toFixed(2));
      data.append("played", playedRanges());
    }
    return data;
  }

  function show(result) {
    if (videoPercent && typeof result.video_percent === "number") {
      videoPercent.textContent = String(result.video_percent);
      if (videoBar) {
        videoBar.setAttribute("aria-valuenow", String(result.video_percent));
        videoBar.firstElementChild.style.width = `${result.video_percent}%`;
      }
    }
    if (result.completed && !completed && status) {
      completed = true;
      status.innerHTML = "";
      const badge = document.createElement("span");
      badge.className = "badge badge-ok";
      badge.textContent = status.dataset.doneText;
      status.appendChild(badge);
      document.body.dataset.lessonCompleted = "true";
    }
  }

  let sending = false;
  let again = false;
  async function send() {
    if (sending) {
      again = true;
      return;
    }
    sending = true;
    try {
      const response = await fetch(url, {
        method: "POST",
        body: payload(),
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrf, Accept: "application/json" },
      });
      if (response.ok) show(await response.json());
    } catch (error) {
      // Offline for a moment: the next report carries everything again.
    } finally {
      sending = false;
      if (again) {
        again = false;
        send();
      }
    }
  }

  function sendInBackground() {
    if (leaving || !changed()) return;
    if (navigator.sendBeacon) navigator.sendBeacon(url, payload());
    else send();
  }

  document.addEventListener("submit", () => {
    leaving = true;
  });

  send();
  setInterval(() => {
    if (document.visibilityState === "visible" && !playTimer) send();
  }, 30000);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") sendInBackground();
  });
  window.addEventListener("pagehide", sendInBackground);

  if (video) {
    video.addEventListener("loadedmetadata", () => {
      if (resumeAt > 1 && resumeAt < video.duration - 1) video.currentTime = resumeAt;
    });
    video.addEventListener("play", () => {
      if (!playTimer) playTimer = setInterval(send, 10000);
    });
    const stop = () => {
      clearInterval(playTimer);
      playTimer = null;
      send();
    };
    video.addEventListener("pause", stop);
    video.addEventListener("ended", stop);
  }
}
