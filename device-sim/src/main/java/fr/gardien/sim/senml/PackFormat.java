package fr.gardien.sim.senml;

/** The SenML encodings a gateway takes (contract: "Telemetry payload"). */
public enum PackFormat {
  /** application/senml+json, CoAP content-format 110; every protocol. */
  JSON("application/senml+json", 110),
  /** application/senml+cbor, CoAP content-format 112; CoAP and HTTP. */
  CBOR("application/senml+cbor", 112);

  private final String mediaType;
  private final int contentFormat;

  PackFormat(String mediaType, int contentFormat) {
    this.mediaType = mediaType;
    this.contentFormat = contentFormat;
  }

  /** The HTTP media type. */
  public String mediaType() {
    return mediaType;
  }

  /** The CoAP content-format number (RFC 8428 §12.3). */
  public int contentFormat() {
    return contentFormat;
  }
}
