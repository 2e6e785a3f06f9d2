// networking-handbook, encrypted sites only: the site search shows encrypted pages once this
// browser tab has unlocked them, and never before.
//
// mkdocs-encryptcontent (`search_index: dynamically`) moves the search entries of encrypted
// pages into search/encrypted_search_index.json, encrypted with the same keys as the pages.
// After the reader types the password, encryptcontent keeps those keys in this tab's
// sessionStorage. When the theme asks for search/search_index.json, this script answers with
// the clear index plus the entries those keys decrypt. Everything happens in the browser: no
// key or entry is sent anywhere. A tab that unlocks a page after its index was loaded reloads
// once so that the search picks up the new entries.
(function () {
  "use strict";

  var INDEX = /\/search\/search_index\.json(\?.*)?$/;
  var HEX_KEY = /^[0-9a-f]{64}$/;
  var servedWith = null; // the key ids the index was merged with, once it was served

  function storedKeys() {
    var keys = {};
    for (var i = 0; i < sessionStorage.length; i++) {
      var id = sessionStorage.key(i);
      var value = sessionStorage.getItem(id);
      if (HEX_KEY.test(value)) { keys[id] = value; }
    }
    return keys;
  }

  function bytes(hex) {
    return new Uint8Array(hex.match(/../g).map(function (pair) { return parseInt(pair, 16); }));
  }

  function base64(text) {
    return Uint8Array.from(atob(text), function (c) { return c.charCodeAt(0); });
  }

  // An encryptcontent bundle is "iv;ciphertext", both base64, AES-256-CBC.
  function decrypt(hexKey, bundle) {
    var parts = bundle.split(";");
    return crypto.subtle.importKey("raw", bytes(hexKey), "AES-CBC", false, ["decrypt"])
      .then(function (key) {
        return crypto.subtle.decrypt({ name: "AES-CBC", iv: base64(parts[0]) }, key, base64(parts[1]));
      })
      .then(function (plain) { return JSON.parse(new TextDecoder().decode(plain)); })
      .catch(function () { return []; }); // a stale key from another build opens nothing
  }

  function mergedIndex(url, keys) {
    var lockedUrl = url.replace(/search_index\.json/, "encrypted_search_index.json");
    return Promise.all([
      fetch(url).then(function (response) { return response.json(); }),
      fetch(lockedUrl).then(function (response) { return response.ok ? response.json() : {}; })
    ]).then(function (results) {
      var index = results[0];
      var locked = results[1];
      var opened = Object.keys(locked).filter(function (id) { return id in keys; })
        .map(function (id) { return decrypt(keys[id], locked[id]); });
      return Promise.all(opened).then(function (entries) {
        entries.forEach(function (docs) { index.docs = index.docs.concat(docs); });
        return URL.createObjectURL(new Blob([JSON.stringify(index)], { type: "application/json" }));
      });
    });
  }

  var open = XMLHttpRequest.prototype.open;
  var send = XMLHttpRequest.prototype.send;

  XMLHttpRequest.prototype.open = function (method, url) {
    this.handbookIndex = INDEX.test(String(url)) ? String(url) : null;
    return open.apply(this, arguments);
  };

  XMLHttpRequest.prototype.send = function () {
    var request = this;
    if (!request.handbookIndex) { return send.apply(request, arguments); }
    var keys = storedKeys();
    servedWith = Object.keys(keys).sort().join(" ");
    if (!servedWith) { return send.apply(request, arguments); }
    mergedIndex(new URL(request.handbookIndex, location.href).href, keys)
      .then(function (merged) {
        request.addEventListener("loadend", function () { URL.revokeObjectURL(merged); }, { once: true });
        open.call(request, "GET", merged);
        send.call(request);
      })
      .catch(function () {
        open.call(request, "GET", request.handbookIndex);
        send.call(request);
      });
  };

  window.addEventListener("encryptcontent_event", function () {
    var now = Object.keys(storedKeys()).sort().join(" ");
    if (servedWith !== null && now !== servedWith) { location.reload(); }
  });
})();
