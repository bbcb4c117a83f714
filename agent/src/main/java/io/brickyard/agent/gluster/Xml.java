package io.brickyard.agent.gluster;

import io.brickyard.agent.op.OperationFailedException;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

/**
 * JDK DOM helpers for the gluster CLI's {@code --xml} output. Every answer is a
 * {@code <cliOutput>} with {@code opRet}/{@code opErrno}/{@code opErrstr}; the CLI exits 0 even
 * when opRet is -1 (seen on a failed {@code peer probe --xml}), so {@link #parseOk} checks opRet
 * itself rather than trusting the exit code.
 */
final class Xml {
  private Xml() {}

  static Element parse(String xml) {
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      f.setExpandEntityReferences(false);
      DocumentBuilder b = f.newDocumentBuilder();
      Document d = b.parse(new InputSource(new StringReader(xml)));
      return d.getDocumentElement();
    } catch (ParserConfigurationException | SAXException | IOException e) {
      throw new OperationFailedException("cannot parse gluster --xml output: " + e.getMessage()
          + ": " + xml.substring(0, Math.min(200, xml.length())), e);
    }
  }

  /** Parses and fails with opErrstr when opRet is not 0. */
  static Element parseOk(String xml, String what) {
    Element root = parse(xml);
    int ret = intOr(text(root, "opRet"), -1);
    if (ret != 0) {
      throw new OperationFailedException(what + " failed: " + text(root, "opErrstr")
          + " (opErrno " + text(root, "opErrno") + ")");
    }
    return root;
  }

  /** Direct child elements named {@code name}. */
  static List<Element> children(Element parent, String name) {
    List<Element> out = new ArrayList<>();
    if (parent == null) {
      return out;
    }
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getTagName().equals(name)) {
        out.add(e);
      }
    }
    return out;
  }

  static Element child(Element parent, String name) {
    List<Element> c = children(parent, name);
    return c.isEmpty() ? null : c.get(0);
  }

  /** Text of the first direct child named {@code name}, trimmed; "" when absent. */
  static String text(Element parent, String name) {
    Element c = child(parent, name);
    return c == null ? "" : c.getTextContent().strip();
  }

  static int intOr(String s, int dflt) {
    try {
      return Integer.parseInt(s.strip());
    } catch (NumberFormatException e) {
      return dflt;
    }
  }

  static long longOr(String s, long dflt) {
    try {
      return Long.parseLong(s.strip());
    } catch (NumberFormatException e) {
      return dflt;
    }
  }
}
