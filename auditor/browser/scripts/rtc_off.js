// Run in every frame before the page's scripts: WebRTC gathers candidates over UDP
// straight from the renderer, around any proxy and request route, so its constructors go.
(() => {
  for (const name of ['RTCPeerConnection', 'webkitRTCPeerConnection', 'mozRTCPeerConnection',
                      'RTCDataChannel', 'RTCIceCandidate', 'RTCSessionDescription', 'RTCRtpSender',
                      'RTCRtpReceiver', 'RTCRtpTransceiver', 'RTCDtlsTransport', 'RTCIceTransport',
                      'RTCSctpTransport', 'RTCCertificate', 'RTCEncodedAudioFrame', 'RTCEncodedVideoFrame']) {
    try { Object.defineProperty(window, name, {value: undefined, configurable: false, writable: false}); }
    catch (e) {}
  }
})();
